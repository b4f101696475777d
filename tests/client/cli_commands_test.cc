// Every kfuncdb command against a live server: --json equals the API's
// answer fetched with the stub, --csv parses back into the answer's rows,
// and the tables show what the answer says (example data labelled).
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/display_names.h"
#include "tests/client/cli_test_util.h"

namespace kfuncdb::client::testing {
namespace {

// The API answer to a list RPC, all pages merged (as the CLI does).
template <typename Request, typename Response, typename Call>
Response AllPages(Request request, Call call) {
  Response all;
  for (;;) {
    Response page;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    grpc::Status status = call(&context, request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) return all;
    std::string next = page.next_page_token();
    page.clear_next_page_token();
    all.MergeFrom(page);
    if (next.empty()) return all;
    request.set_page_token(next);
  }
}

class CliCommandsTest : public CliTest {
 protected:
  v1::ListKfuncsResponse ListKfuncs(v1::ListKfuncsRequest request) {
    return AllPages<v1::ListKfuncsRequest, v1::ListKfuncsResponse>(
        request, [this](auto* c, const auto& r, auto* p) { return stub().ListKfuncs(c, r, p); });
  }
};

TEST_F(CliCommandsTest, KfuncJsonIsTheGetKfuncAnswerWithProtoFieldNames) {
  v1::GetKfuncRequest request;
  request.set_name("bpf_example_lookup_old");
  request.set_lineage("example");
  v1::Kfunc expected;
  ASSERT_TRUE(stub().GetKfunc(Call().get(), request, &expected).ok());

  ProcessResult result = Kfuncdb({"--lineage", "example", "--json", "kfunc",
                                   "bpf_example_lookup_old"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectJsonEquals(result.out, expected);
  EXPECT_TRUE(absl::StrContains(result.out, "\"deprecated_since\"")) << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "\"example_data\": true")) << result.out;
}

TEST_F(CliCommandsTest, KfuncTableShowsTheTimelineAndLabelsExampleData) {
  v1::GetKfuncRequest request;
  request.set_name("bpf_example_lookup_old");
  request.set_lineage("example");
  v1::Kfunc kfunc;
  ASSERT_TRUE(stub().GetKfunc(Call().get(), request, &kfunc).ok());
  ASSERT_TRUE(kfunc.lifecycle().has_window_end());

  ProcessResult result = Kfuncdb({"kfunc", "--lineage", "example", "bpf_example_lookup_old"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string& out = result.out;
  EXPECT_TRUE(absl::StrContains(out, "EXAMPLE DATA (lineage \"example\")")) << out;
  EXPECT_TRUE(absl::StrContains(out, absl::StrCat("deprecated since  ",
                                                  ReleaseWithDate(kfunc.lifecycle().deprecated_since()))))
      << out;
  EXPECT_TRUE(absl::StrContains(out, absl::StrCat("window end        ",
                                                  ReleaseWithDate(kfunc.lifecycle().window_end()))))
      << out;
  // Counted in catalog positions from the newest ingested point.
  const int ahead = kfunc.lifecycle().window_end().ordinal() - kfunc.status_at().ordinal();
  ASSERT_GT(ahead, 0);
  EXPECT_TRUE(absl::StrContains(out, absl::StrCat("in ", ahead, " releases after ",
                                                  kfunc.status_at().name())))
      << out;
  for (const v1::PrototypeRun& run : kfunc.prototype_history()) {
    EXPECT_TRUE(absl::StrContains(out, run.prototype())) << out;
  }
}

TEST_F(CliCommandsTest, KfuncOnTheRealCorpusMatchesTheApi) {
  KFUNCDB_SKIP_WITHOUT_CORPUS();
  v1::GetKfuncRequest request;
  request.set_name("bpf_task_acquire");
  v1::Kfunc expected;
  ASSERT_TRUE(stub().GetKfunc(Call().get(), request, &expected).ok());
  ProcessResult json = Kfuncdb({"kfunc", "bpf_task_acquire", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ExpectJsonEquals(json.out, expected);

  ProcessResult table = Kfuncdb({"kfunc", "bpf_task_acquire"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_FALSE(absl::StrContains(table.out, "EXAMPLE DATA")) << table.out;
  // The corpus has 6.1 and 6.12, nothing between: a range, not a release.
  const v1::Lifecycle& lifecycle = expected.lifecycle();
  ASSERT_FALSE(lifecycle.introduced_exact());
  EXPECT_TRUE(absl::StrContains(
      table.out, absl::StrCat("introduced        between ", lifecycle.introduced_after().name(),
                              " (absent) and ", ReleaseWithDate(lifecycle.introduced_in()))))
      << table.out;
  EXPECT_TRUE(absl::StrContains(table.out, "KF_ACQUIRE")) << table.out;
}

TEST_F(CliCommandsTest, ListJsonAndCsvAreTheListKfuncsAnswer) {
  KFUNCDB_SKIP_WITHOUT_CORPUS();
  v1::ListKfuncsResponse expected = ListKfuncs(v1::ListKfuncsRequest());
  ASSERT_GT(expected.kfuncs_size(), 100);  // more than one default page

  ProcessResult json = Kfuncdb({"list", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ExpectJsonEquals(json.out, expected);

  ProcessResult csv = Kfuncdb({"list", "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  CsvRecords records = CsvOrFail(csv.out);
  ASSERT_EQ(records.size(), static_cast<size_t>(expected.kfuncs_size()) + 1);
  EXPECT_EQ(records[0][0], "KFUNC");
  for (int i = 0; i < expected.kfuncs_size(); ++i) {
    const v1::KfuncSummary& kfunc = expected.kfuncs(i);
    ASSERT_EQ(records[i + 1].size(), records[0].size());
    EXPECT_EQ(records[i + 1][0], kfunc.name());
    EXPECT_EQ(records[i + 1][1], StatusName(kfunc.status()));
    EXPECT_EQ(records[i + 1][2], FlagsHex(kfunc.has_flags(), kfunc.flags()));
  }
}

TEST_F(CliCommandsTest, ListFiltersReachTheServer) {
  v1::ListKfuncsRequest request;
  request.set_lineage("example");
  request.set_status(v1::KFUNC_STATUS_DEPRECATED);
  request.set_name_prefix("bpf_example_");
  v1::ListKfuncsResponse expected = ListKfuncs(request);
  ASSERT_GT(expected.kfuncs_size(), 0);

  ProcessResult json = Kfuncdb({"--lineage", "example", "--json", "list", "--status",
                                "deprecated", "bpf_example_"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ExpectJsonEquals(json.out, expected);

  ProcessResult table = Kfuncdb({"--lineage", "example", "list", "--status", "deprecated"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(absl::StartsWith(table.out, "EXAMPLE DATA")) << table.out;
  for (const v1::KfuncSummary& kfunc : expected.kfuncs()) {
    EXPECT_TRUE(absl::StrContains(table.out, kfunc.name())) << table.out;
  }
  // Under --csv the label goes to stderr so stdout stays CSV.
  ProcessResult csv = Kfuncdb({"--lineage", "example", "--csv", "list", "--status", "deprecated"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(absl::StrContains(csv.err, "EXAMPLE DATA")) << csv.err;
  EXPECT_EQ(CsvOrFail(csv.out).size(), static_cast<size_t>(expected.kfuncs_size()) + 1);
}

TEST_F(CliCommandsTest, DeprecationsJsonIsTheStreamAsAnArray) {
  v1::ListDeprecationsRequest request;
  request.set_lineage("example");
  request.set_include_removed(true);
  std::vector<v1::Deprecation> expected;
  auto context = Call();
  auto stream = stub().ListDeprecations(context.get(), request);
  for (v1::Deprecation entry; stream->Read(&entry);) expected.push_back(entry);
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_FALSE(expected.empty());

  ProcessResult json = Kfuncdb({"--lineage", "example", "--json", "deprecations",
                                "--include-removed"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json array = nlohmann::json::parse(json.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(array.is_array()) << json.out;
  ASSERT_EQ(array.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) ExpectJsonEquals(array[i].dump(), expected[i]);

  ProcessResult csv = Kfuncdb({"--lineage", "example", "--csv", "deprecations",
                               "--include-removed"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  CsvRecords records = CsvOrFail(csv.out);
  ASSERT_EQ(records.size(), expected.size() + 1);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(records[i + 1][0], expected[i].kfunc());
    EXPECT_EQ(records[i + 1][3], ReleaseLabel(expected[i].window_end()));
  }
}

TEST_F(CliCommandsTest, DeprecationsBeforeTakesAReleaseOrADate) {
  ProcessResult early = Kfuncdb({"--lineage", "example", "--json", "deprecations", "--before",
                                 "1990-01-01"});
  ASSERT_EQ(early.exit_code, 0) << early.err;
  EXPECT_EQ(early.out, "[]\n");
  ProcessResult by_release = Kfuncdb({"--lineage", "example", "deprecations", "--before", "6.9"});
  ASSERT_EQ(by_release.exit_code, 0) << by_release.err;
  ProcessResult bad = Kfuncdb({"--lineage", "example", "deprecations", "--before", "soon"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(bad.err, "--before")) << bad.err;
}

TEST_F(CliCommandsTest, DiffJsonIsTheDiffReleasesAnswer) {
  v1::DiffReleasesRequest request;
  request.set_lineage("example");
  request.mutable_from()->set_release("6.9");
  request.mutable_to()->set_release("6.14");
  v1::DiffReleasesResponse expected;
  ASSERT_TRUE(stub().DiffReleases(Call().get(), request, &expected).ok());
  ASSERT_GT(expected.added_size() + expected.removed_size(), 0);

  ProcessResult json = Kfuncdb({"--lineage", "example", "--json", "diff", "6.9", "6.14"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ExpectJsonEquals(json.out, expected);

  ProcessResult csv = Kfuncdb({"--lineage", "example", "--csv", "diff", "6.9", "6.14"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  CsvRecords records = CsvOrFail(csv.out);
  const size_t changes = expected.added_size() + expected.removed_size() +
                         expected.flags_changed_size() + expected.prototype_changed_size() +
                         expected.status_changed_size();
  ASSERT_EQ(records.size(), changes + 1);
  for (int i = 0; i < expected.added_size(); ++i) {
    EXPECT_EQ(records[i + 1], (std::vector<std::string>{"added", expected.added(i), "", ""}));
  }
}

TEST_F(CliCommandsTest, DiffOfTwoRealReleases) {
  KFUNCDB_SKIP_WITHOUT_CORPUS();
  v1::DiffReleasesRequest request;
  request.mutable_from()->set_release("6.1");
  request.mutable_to()->set_release("6.12");
  v1::DiffReleasesResponse expected;
  ASSERT_TRUE(stub().DiffReleases(Call().get(), request, &expected).ok());
  ProcessResult json = Kfuncdb({"--json", "diff", "6.1", "6.12"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ExpectJsonEquals(json.out, expected);
  EXPECT_TRUE(std::find(expected.added().begin(), expected.added().end(), "bpf_task_acquire") !=
              expected.added().end());
}

TEST_F(CliCommandsTest, ReleasesJsonAndCsv) {
  v1::ListReleasesRequest request;
  request.set_lineage("example");
  auto expected = AllPages<v1::ListReleasesRequest, v1::ListReleasesResponse>(
      request, [this](auto* c, const auto& r, auto* p) { return stub().ListReleases(c, r, p); });
  ASSERT_GT(expected.releases_size(), 0);
  ProcessResult json = Kfuncdb({"--lineage", "example", "--json", "releases"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ExpectJsonEquals(json.out, expected);

  ProcessResult csv = Kfuncdb({"--lineage", "example", "--csv", "releases"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  CsvRecords records = CsvOrFail(csv.out);
  ASSERT_EQ(records.size(), static_cast<size_t>(expected.releases_size()) + 1);
  for (int i = 0; i < expected.releases_size(); ++i) {
    EXPECT_EQ(records[i + 1][0], expected.releases(i).name());
    EXPECT_EQ(records[i + 1][3], expected.releases(i).has_builds() ? "yes" : "no");
  }
}

TEST_F(CliCommandsTest, BuildsJsonAndCsv) {
  auto expected = AllPages<v1::ListBuildsRequest, v1::ListBuildsResponse>(
      v1::ListBuildsRequest(),
      [this](auto* c, const auto& r, auto* p) { return stub().ListBuilds(c, r, p); });
  ASSERT_GE(expected.builds_size(), 8);  // the example lineage alone has 8
  ProcessResult json = Kfuncdb({"--json", "builds"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ExpectJsonEquals(json.out, expected);

  ProcessResult csv = Kfuncdb({"--csv", "builds"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  CsvRecords records = CsvOrFail(csv.out);
  ASSERT_EQ(records.size(), static_cast<size_t>(expected.builds_size()) + 1);
  for (int i = 0; i < expected.builds_size(); ++i) {
    const v1::Build& build = expected.builds(i);
    EXPECT_EQ(records[i + 1][0], absl::StrCat(build.id()));
    EXPECT_EQ(records[i + 1][1], build.kernel_release());
    EXPECT_EQ(absl::StrContains(records[i + 1][5], "EXAMPLE DATA"),
              build.lineage().example_data());
  }
}

TEST_F(CliCommandsTest, ViolationsJsonAndCsv) {
  v1::ListViolationsRequest request;
  request.set_lineage("example");
  auto expected = AllPages<v1::ListViolationsRequest, v1::ListViolationsResponse>(
      request,
      [this](auto* c, const auto& r, auto* p) { return stub().ListViolations(c, r, p); });
  ASSERT_GT(expected.violations_size(), 0);
  ProcessResult json = Kfuncdb({"--lineage", "example", "--json", "violations"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ExpectJsonEquals(json.out, expected);

  ProcessResult csv = Kfuncdb({"--lineage", "example", "--csv", "violations"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  CsvRecords records = CsvOrFail(csv.out);
  ASSERT_EQ(records.size(), static_cast<size_t>(expected.violations_size()) + 1);
  for (int i = 0; i < expected.violations_size(); ++i) {
    EXPECT_EQ(records[i + 1][0], expected.violations(i).kfunc());
    EXPECT_EQ(records[i + 1][1], ViolationKindName(expected.violations(i).kind()));
    EXPECT_EQ(records[i + 1][3], expected.violations(i).detail());
  }

  ProcessResult one_kind = Kfuncdb({"--lineage", "example", "--json", "violations", "--kind",
                                    "stable-removed-without-deprecation"});
  ASSERT_EQ(one_kind.exit_code, 0) << one_kind.err;
  EXPECT_TRUE(absl::StrContains(one_kind.out, "bpf_example_stable_dropped")) << one_kind.out;
}

TEST_F(CliCommandsTest, LineagesJson) {
  v1::ListLineagesResponse expected;
  ASSERT_TRUE(stub().ListLineages(Call().get(), v1::ListLineagesRequest(), &expected).ok());
  ProcessResult json = Kfuncdb({"lineages", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  ExpectJsonEquals(json.out, expected);
  ProcessResult table = Kfuncdb({"lineages"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(absl::StrContains(table.out, "example")) << table.out;
}

}  // namespace
}  // namespace kfuncdb::client::testing
