#include "ingest/cli/input_plan.h"

#include <iterator>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace kfuncdb::ingest_cli {
namespace {

bool PlanHasFileUnder(const std::vector<unpack::BuildPlan>& plans,
                      const std::filesystem::path& dir) {
  std::string prefix = dir.lexically_normal().string();
  if (!prefix.ends_with('/')) prefix += '/';
  for (const unpack::BuildPlan& plan : plans) {
    for (const unpack::InputFile& file : plan.files) {
      if (file.path.lexically_normal().string().starts_with(prefix)) return true;
    }
  }
  return false;
}

}  // namespace

PlannedInputs PlanInputs(const std::vector<std::filesystem::path>& inputs,
                         const unpack::UnpackOptions& options) {
  PlannedInputs planned;
  // Each file is classified once, here; GroupIntoBuilds then ties files of
  // one release together in the order they were named.
  std::vector<unpack::InputFile> files;
  std::vector<std::filesystem::path> folders;
  for (const std::filesystem::path& input : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec)) {
      absl::StatusOr<unpack::FolderFiles> found = unpack::ClassifyFolder(input, options);
      if (!found.ok()) {
        planned.failures.push_back({input.string(), std::string(found.status().message())});
        continue;
      }
      folders.push_back(input);
      std::move(found->files.begin(), found->files.end(), std::back_inserter(files));
      for (unpack::RejectedFile& file : found->rejected) {
        planned.failures.push_back({file.path.string(), std::move(file.reason)});
      }
      continue;
    }
    absl::StatusOr<unpack::InputFile> file = unpack::ClassifyNamedInput(input, options);
    if (!file.ok()) {
      planned.failures.push_back({input.string(), std::string(file.status().message())});
    } else {
      files.push_back(*std::move(file));
    }
  }
  planned.builds = unpack::GroupIntoBuilds(std::move(files));
  for (const std::filesystem::path& folder : folders) {
    if (!PlanHasFileUnder(planned.builds, folder)) planned.skipped.push_back(folder.string());
  }
  return planned;
}

std::string PlanLabel(const unpack::BuildPlan& plan) {
  std::string label;
  for (const unpack::InputFile& file : plan.files) {
    absl::StrAppend(&label, label.empty() ? "" : ", ", file.path.string());
  }
  return label;
}

}  // namespace kfuncdb::ingest_cli
