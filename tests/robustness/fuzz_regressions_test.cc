// Replays every input kept under fuzz/regressions/<target>/ through its fuzz
// target (fuzz/fuzz_targets.h), in every build. Under the ASan/UBSan build
// this is the regression test for each crash libFuzzer once found; in the
// normal build it still catches crashes, hangs and aborts. scripts/fuzz.sh
// adds the inputs; the folder names are the target names.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fuzz/fuzz_targets.h"
#include "tests/support/test_support.h"

namespace kfuncdb::fuzz {
namespace {

const std::filesystem::path kRegressionsDir =
    std::filesystem::path(KFUNCDB_SOURCE_DIR) / "fuzz" / "regressions";

std::vector<std::filesystem::path> InputsOf(const std::string& target) {
  std::vector<std::filesystem::path> inputs;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kRegressionsDir / target, error)) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") {
      inputs.push_back(entry.path());
    }
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

class FuzzRegressionTest : public ::testing::TestWithParam<FuzzTarget> {};

TEST_P(FuzzRegressionTest, KeptInputsRunCleanly) {
  const FuzzTarget& target = GetParam();
  std::vector<std::filesystem::path> inputs = InputsOf(target.name);
  if (inputs.empty()) GTEST_SKIP() << "no regression inputs for " << target.name;
  for (const auto& input : inputs) {
    SCOPED_TRACE(input.string());
    target.run(kfuncdb::testing::ReadFileOrFail(input));
  }
}

INSTANTIATE_TEST_SUITE_P(AllTargets, FuzzRegressionTest, ::testing::ValuesIn(AllFuzzTargets()),
                         [](const auto& info) { return std::string(info.param.name); });

// Every folder under fuzz/regressions/ names a target, so that an input kept
// under a mistyped or renamed target is not silently never replayed.
TEST(FuzzRegressionLayoutTest, EveryFolderNamesATarget) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kRegressionsDir, error)) {
    if (!entry.is_directory()) continue;
    EXPECT_NE(FindFuzzTarget(entry.path().filename().string()), nullptr)
        << entry.path() << " does not name a fuzz target";
  }
  EXPECT_FALSE(error) << kRegressionsDir << ": " << error.message();
}

}  // namespace
}  // namespace kfuncdb::fuzz
