// `kfuncdb check` on BPF objects clang compiled at build time, against a
// live server: verdicts per kfunc and kernel, the --fail-on policies and
// exit statuses, --json equal to CheckCompatibility's answer.
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "client/display_names.h"
#include "tests/client/cli_test_util.h"
#include "tests/support/test_support.h"

namespace kfuncdb::client::testing {
namespace {

std::string BpfObject(const std::string& name) {
  return (std::filesystem::path(KFUNCDB_CLIENT_BPF_DIR) / name).string();
}

// The verdict column of the row for (kfunc, kernel) in `kfuncdb check --csv`.
std::string Verdict(const CsvRecords& records, const std::string& kfunc,
                    const std::string& kernel) {
  for (const auto& row : records) {
    if (row.size() >= 3 && row[0] == kfunc && row[1] == kernel) return row[2];
  }
  return "(no row)";
}

class CliCheckTest : public CliTest {};

TEST_F(CliCheckTest, TaskAcquireProgramRunsOn612ButNotOn61) {
  KFUNCDB_SKIP_WITHOUT_CORPUS();
  const std::string object = BpfObject("task_acquire.bpf.o");

  ProcessResult on_612 = Kfuncdb({"--csv", "check", object, "--kernel", "6.12"});
  EXPECT_EQ(on_612.exit_code, 0) << on_612.err;
  CsvRecords rows = CsvOrFail(on_612.out);
  EXPECT_EQ(Verdict(rows, "bpf_task_acquire", "6.12"), "available");
  EXPECT_EQ(Verdict(rows, "bpf_task_release", "6.12"), "available");
  EXPECT_EQ(rows.size(), 3u);  // header + 2 kfuncs x 1 kernel

  // bpf_task_acquire came with 6.2: Debian's 6.1 lacks it.
  ProcessResult both = Kfuncdb({"--csv", "check", object, "--kernel", "6.1", "--kernel", "6.12"});
  EXPECT_EQ(both.exit_code, 1) << both.err;
  rows = CsvOrFail(both.out);
  EXPECT_EQ(Verdict(rows, "bpf_task_acquire", "6.1"), "missing");
  EXPECT_EQ(Verdict(rows, "bpf_task_release", "6.1"), "missing");
  EXPECT_EQ(Verdict(rows, "bpf_task_acquire", "6.12"), "available");
  EXPECT_TRUE(absl::StartsWith(both.err, "kfuncdb: check failed: 2 of 4")) << both.err;
}

TEST_F(CliCheckTest, AKfuncNoKernelHasFailsTheCheck) {
  KFUNCDB_SKIP_WITHOUT_CORPUS();
  ProcessResult result =
      Kfuncdb({"--csv", "check", BpfObject("unknown_kfunc.bpf.o"), "--kernel", "6.12"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  CsvRecords rows = CsvOrFail(result.out);
  EXPECT_EQ(Verdict(rows, "bpf_kfuncdb_no_such_kfunc", "6.12"), "missing");
  EXPECT_EQ(Verdict(rows, "bpf_task_acquire", "6.12"), "available");
  // The .ksyms variable is not checked as a kfunc.
  EXPECT_EQ(Verdict(rows, "bpf_prog_active", "6.12"), "(no row)");
  // The USED_BY column names the object.
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][3], "observed");
    EXPECT_EQ(rows[i][6], "unknown_kfunc.bpf.o");
  }

  // A program that probes its __weak kfuncs tolerates "missing".
  ProcessResult lenient = Kfuncdb({"check", BpfObject("unknown_kfunc.bpf.o"), "--kernel", "6.12",
                                   "--fail-on", "removed"});
  EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
}

TEST_F(CliCheckTest, JsonIsTheCheckCompatibilityAnswer) {
  KFUNCDB_SKIP_WITHOUT_CORPUS();
  v1::CheckCompatibilityRequest request;
  request.add_kfuncs("bpf_kfuncdb_no_such_kfunc");
  request.add_kfuncs("bpf_task_acquire");
  request.add_kfuncs("bpf_task_release");
  request.add_targets()->set_release("6.1");
  request.add_targets()->set_release("6.12");
  v1::CheckCompatibilityResponse expected;
  ASSERT_TRUE(stub().CheckCompatibility(Call().get(), request, &expected).ok());

  ProcessResult json = Kfuncdb({"--json", "check", BpfObject("unknown_kfunc.bpf.o"), "--kernel",
                                "6.1", "--kernel", "6.12"});
  EXPECT_EQ(json.exit_code, 1) << json.err;
  ExpectJsonEquals(json.out, expected);
  EXPECT_EQ(expected.overall(), v1::OVERALL_VERDICT_INCOMPATIBLE);
}

TEST_F(CliCheckTest, WithoutKernelsChecksEveryReleaseWithBuilds) {
  ProcessResult result = Kfuncdb({"--lineage", "example", "--csv", "check", "--name",
                                  "bpf_example_task_acquire"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  CsvRecords rows = CsvOrFail(result.out);
  // The example lineage has builds of 6.8 .. 6.15.
  ASSERT_EQ(rows.size(), 9u) << result.out;
  EXPECT_EQ(rows[1][1], "6.8");
  EXPECT_EQ(rows[8][1], "6.15");
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i][2], "available");
}

TEST_F(CliCheckTest, FailOnPoliciesOnDeprecatedAndRemovedKfuncs) {
  const std::vector<std::string> base = {"--lineage", "example", "check", "--kernel", "6.15"};
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return Kfuncdb(args);
  };
  // bpf_example_lookup_old is deprecated from 6.11, window still open.
  ProcessResult deprecated = run({"--name", "bpf_example_lookup_old"});
  EXPECT_EQ(deprecated.exit_code, 0) << deprecated.err;
  EXPECT_TRUE(absl::StrContains(deprecated.out, "deprecated")) << deprecated.out;
  EXPECT_TRUE(absl::StrContains(deprecated.out, "EXAMPLE DATA")) << deprecated.out;
  EXPECT_EQ(run({"--name", "bpf_example_lookup_old", "--fail-on", "deprecated"}).exit_code, 1);

  // bpf_example_scratch was removed in 6.10: fails under every policy.
  for (const char* policy : {"missing", "removed", "deprecated"}) {
    ProcessResult removed = run({"--name", "bpf_example_scratch", "--fail-on", policy});
    EXPECT_EQ(removed.exit_code, 1) << policy << ": " << removed.out << removed.err;
    EXPECT_TRUE(absl::StrContains(removed.out, "removed")) << removed.out;
  }
}

TEST_F(CliCheckTest, FutureTargetsRestOnThePromises) {
  // Example builds end at 6.15; 7.0 is past them.
  ProcessResult result =
      Kfuncdb({"--lineage", "example", "--csv", "check", "--name", "bpf_example_task_acquire",
               "--name", "bpf_example_lookup_old", "--kernel", "6.15", "--kernel", "7.0"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  CsvRecords rows = CsvOrFail(result.out);
  ASSERT_EQ(rows.size(), 5u) << result.out;
  auto row = [&rows](const std::string& kfunc, const std::string& kernel) {
    for (const auto& r : rows) {
      if (r[0] == kfunc && r[1] == kernel) return r;
    }
    return std::vector<std::string>(7);
  };
  // Stable: stays. Deprecated: stays until its window ends (7.1).
  EXPECT_EQ(row("bpf_example_task_acquire", "6.15")[3], "observed");
  EXPECT_EQ(row("bpf_example_task_acquire", "7.0")[2], "available");
  EXPECT_EQ(row("bpf_example_task_acquire", "7.0")[3], "promised");
  EXPECT_EQ(row("bpf_example_lookup_old", "7.0")[2], "deprecated");
  EXPECT_EQ(row("bpf_example_lookup_old", "7.0")[3], "promised");
  EXPECT_TRUE(absl::StartsWith(row("bpf_example_lookup_old", "7.0")[4], "7.1"));
}

TEST_F(CliCheckTest, AnObjectWithoutKfuncsPassesWithANote) {
  ProcessResult result = Kfuncdb({"check", BpfObject("no_kfuncs.bpf.o")});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, "imports no kfuncs")) << result.err;
}

TEST_F(CliCheckTest, HostileObjectsAreUsageErrorsNamingTheFile) {
  ::kfuncdb::testing::ScratchDir dir;
  const std::string object = ::kfuncdb::testing::ReadFileOrFail(BpfObject("task_acquire.bpf.o"));
  ::kfuncdb::testing::WriteFileOrFail(dir / "cut.bpf.o", object.substr(0, 100));
  ::kfuncdb::testing::WriteFileOrFail(dir / "text.bpf.o", "not an object\n");
  for (const std::string& path : {(dir / "cut.bpf.o").string(), (dir / "text.bpf.o").string(),
                                  BpfObject("no_btf.bpf.o"), (dir / "absent.bpf.o").string()}) {
    ProcessResult result = Kfuncdb({"check", path, "--kernel", "6.12"});
    EXPECT_EQ(result.exit_code, 2) << path << ": " << result.err;
    EXPECT_TRUE(absl::StartsWith(result.err, "kfuncdb: " + path)) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
  }
}

TEST_F(CliCheckTest, BadTargetsAreUsageErrors) {
  ProcessResult malformed = Kfuncdb({"check", "--name", "bpf_task_acquire", "--kernel", "six"});
  EXPECT_EQ(malformed.exit_code, 2) << malformed.err;
  EXPECT_TRUE(absl::StrContains(malformed.err, "--kernel: \"six\"")) << malformed.err;
  // Well-formed, but not a release the server knows: its INVALID_ARGUMENT.
  ProcessResult unknown = Kfuncdb({"check", "--name", "bpf_task_acquire", "--kernel", "1.99"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_TRUE(absl::StrContains(unknown.err, "rejected")) << unknown.err;
}

}  // namespace
}  // namespace kfuncdb::client::testing
