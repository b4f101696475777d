#include "ingest/cli/input_plan.h"

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

// Appends the plans of `inputs` to `planned`: together when that works,
// else one input at a time so only the bad ones fail.
void PlanTogether(const std::vector<std::filesystem::path>& inputs,
                  const unpack::UnpackOptions& options, PlannedInputs& planned) {
  if (inputs.empty()) return;
  absl::StatusOr<unpack::PlannedBuilds> plans = unpack::PlanBuilds(inputs, options);
  if (plans.ok()) {
    for (unpack::BuildPlan& plan : plans->builds) planned.builds.push_back(std::move(plan));
    for (unpack::RejectedFile& file : plans->rejected) {
      planned.failures.push_back({file.path.string(), std::move(file.reason)});
    }
    return;
  }
  if (inputs.size() == 1) {
    planned.failures.push_back({inputs[0].string(), std::string(plans.status().message())});
    return;
  }
  for (const std::filesystem::path& input : inputs) PlanTogether({input}, options, planned);
}

}  // namespace

PlannedInputs PlanInputs(const std::vector<std::filesystem::path>& inputs,
                         const unpack::UnpackOptions& options) {
  PlannedInputs planned;
  std::vector<std::filesystem::path> plannable;
  std::vector<std::filesystem::path> folders;
  for (const std::filesystem::path& input : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec)) {
      plannable.push_back(input);
      folders.push_back(input);
      continue;
    }
    absl::StatusOr<unpack::InputFile> file = unpack::ClassifyInput(input, options);
    if (!file.ok()) {
      planned.failures.push_back({input.string(), std::string(file.status().message())});
    } else if (file->kind == unpack::ContentKind::kUnknown) {
      planned.failures.push_back(
          {input.string(), "not a kernel artifact (no known format: package, image, ELF, BTF, "
                           "compressed stream)"});
    } else {
      plannable.push_back(input);
    }
  }
  PlanTogether(plannable, options, planned);
  for (const std::filesystem::path& folder : folders) {
    bool failed = false;
    for (const InputFailure& failure : planned.failures) failed |= failure.input == folder.string();
    if (!failed && !PlanHasFileUnder(planned.builds, folder)) {
      planned.skipped.push_back(folder.string());
    }
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
