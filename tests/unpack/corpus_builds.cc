#include "tests/unpack/corpus_builds.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

#include "absl/strings/str_cat.h"
#include "ingest/unpack/unpack.h"
#include "tests/support/test_support.h"

namespace kfuncdb::testing {
namespace {

absl::StatusOr<std::vector<extract::KernelArtifacts>> Unpack(const std::vector<std::string>& names) {
  std::vector<std::filesystem::path> paths;
  for (const std::string& name : names) {
    std::optional<std::filesystem::path> path = CorpusFile(name);
    if (!path) return absl::NotFoundError(absl::StrCat("corpus file missing: ", (CorpusDir() / name).string()));
    paths.push_back(*path);
  }
  return unpack::UnpackInputs(paths, unpack::UnpackOptions{});
}

}  // namespace

const absl::StatusOr<std::vector<extract::KernelArtifacts>>& UnpackedCorpus(const std::vector<std::string>& names) {
  static std::mutex mutex;
  static std::map<std::vector<std::string>, absl::StatusOr<std::vector<extract::KernelArtifacts>>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(names);
  if (it == cache.end()) it = cache.emplace(names, Unpack(names)).first;
  return it->second;
}

}  // namespace kfuncdb::testing
