// Helpers every test suite shares: where the real corpus is, and scratch
// directories that clean up after themselves.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kfuncdb::testing {

// The shared corpus folder: $KFUNCDB_CORPUS when set and non-empty, else the
// KFUNCDB_CORPUS_DIR the build was configured with.
std::filesystem::path CorpusDir();

// Path of `name` inside the corpus, or nullopt when it is not there (the
// caller then GTEST_SKIP()s with a message naming the path).
std::optional<std::filesystem::path> CorpusFile(const std::string& name);

// Skips the current test, naming the missing corpus file, when absent.
#define KFUNCDB_REQUIRE_CORPUS_FILE(var, name)                                      \
  auto var##_opt = ::kfuncdb::testing::CorpusFile(name);                            \
  if (!var##_opt) GTEST_SKIP() << "corpus file missing: "                          \
                               << (::kfuncdb::testing::CorpusDir() / (name));      \
  const std::filesystem::path var = *var##_opt

// A fresh directory under the system temp dir, removed with its contents on
// destruction. Not thread-safe to share across tests.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Whole file as bytes; fails the current test (and returns "") on error.
std::string ReadFileOrFail(const std::filesystem::path& path);
// Writes bytes to a file; fails the current test on error.
void WriteFileOrFail(const std::filesystem::path& path, const std::string& bytes);

}  // namespace kfuncdb::testing
