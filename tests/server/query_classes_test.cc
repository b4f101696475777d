// The query classes without a server: proto in, proto out, over the example
// lineage ingested through the real ingest path. Answers are checked against
// the lifecycle tables and against the story the example lineage tells
// (tests/fixtures/example_lineage.cc).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/sqlite/database.h"
#include "server/catalog_queries.h"
#include "server/compatibility_query.h"
#include "server/diff_query.h"
#include "server/kfunc_queries.h"
#include "server/reader_pool.h"
#include "tests/fixtures/kernel_fixture.h"
#include "tests/server/ingested_database.h"
#include "tests/support/test_support.h"

namespace kfuncdb::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

const absl::Time kNoDeadline = absl::InfiniteFuture();

class QueryClassesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = ReaderPool::Open(testing::ExampleDatabase(), 2);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
  }

  v1::Kfunc Get(const std::string& name) {
    v1::GetKfuncRequest request;
    request.set_name(name);
    request.set_lineage("example");
    v1::Kfunc kfunc;
    absl::Status status = GetKfuncQuery(*pool_).Run(request, kNoDeadline, &kfunc);
    EXPECT_TRUE(status.ok()) << name << ": " << status;
    return kfunc;
  }

  std::vector<std::string> ListNames(v1::ListKfuncsRequest request) {
    std::vector<std::string> names;
    request.set_lineage("example");
    do {
      v1::ListKfuncsResponse page;
      absl::Status status = ListKfuncsQuery(*pool_).Run(request, kNoDeadline, &page);
      EXPECT_TRUE(status.ok()) << status;
      if (!status.ok()) break;
      for (const auto& kfunc : page.kfuncs()) names.push_back(kfunc.name());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return names;
  }

  std::unique_ptr<ReaderPool> pool_;
};

// Every lifecycle row of the example lineage, read with plain SQL.
struct LifecycleTableRow {
  std::string name;
  std::string introduced_in;
  std::optional<std::string> deprecated_since;
  std::optional<std::string> window_end;
  std::string status;
  int64_t status_runs = 0;
  int64_t violations = 0;
};

std::vector<LifecycleTableRow> ReadLifecycleTable() {
  auto db = sqlite::Database::Open(testing::ExampleDatabase(), sqlite::OpenMode::kReadOnly);
  EXPECT_TRUE(db.ok()) << db.status();
  auto stmt = db->Prepare(
      "SELECT n.name, pi.name, pd.name, rw.name, lc.status, "
      "(SELECT count(*) FROM kfunc_status_runs r WHERE r.lineage_id = lc.lineage_id "
      " AND r.kfunc_name_id = lc.kfunc_name_id), "
      "(SELECT count(*) FROM violations v WHERE v.lineage_id = lc.lineage_id "
      " AND v.kfunc_name_id = lc.kfunc_name_id) "
      "FROM kfunc_lifecycle lc JOIN names n ON n.id = lc.kfunc_name_id "
      "JOIN lineages l ON l.id = lc.lineage_id AND l.name = 'example' "
      "JOIN lineage_points pi ON pi.lineage_id = lc.lineage_id AND pi.ordinal = lc.introduced_in "
      "LEFT JOIN lineage_points pd ON pd.lineage_id = lc.lineage_id AND pd.ordinal = lc.deprecated_since "
      "LEFT JOIN releases rw ON rw.ordinal = lc.window_end_release ORDER BY n.name");
  EXPECT_TRUE(stmt.ok()) << stmt.status();
  std::vector<LifecycleTableRow> rows;
  while (*stmt->Step()) {
    rows.push_back({stmt->ColumnString(0), stmt->ColumnString(1), stmt->ColumnOptionalString(2),
                    stmt->ColumnOptionalString(3), stmt->ColumnString(4), stmt->ColumnInt64(5),
                    stmt->ColumnInt64(6)});
  }
  return rows;
}

v1::KfuncStatus StatusOf(const std::string& column) {
  static const std::map<std::string, v1::KfuncStatus> kStatuses = {
      {"unstable", v1::KFUNC_STATUS_UNSTABLE}, {"stable", v1::KFUNC_STATUS_STABLE},
      {"deprecated", v1::KFUNC_STATUS_DEPRECATED}, {"removed", v1::KFUNC_STATUS_REMOVED},
      {"unknown", v1::KFUNC_STATUS_UNKNOWN}};
  return kStatuses.at(column);
}

TEST_F(QueryClassesTest, GetKfuncMatchesTheLifecycleTables) {
  std::vector<LifecycleTableRow> rows = ReadLifecycleTable();
  ASSERT_EQ(rows.size(), 16u) << "the example lineage has 16 kfuncs";
  for (const LifecycleTableRow& row : rows) {
    SCOPED_TRACE(row.name);
    v1::Kfunc kfunc = Get(row.name);
    EXPECT_EQ(kfunc.name(), row.name);
    EXPECT_EQ(kfunc.lifecycle().introduced_in().name(), row.introduced_in);
    EXPECT_EQ(kfunc.lifecycle().has_deprecated_since(), row.deprecated_since.has_value());
    if (row.deprecated_since) EXPECT_EQ(kfunc.lifecycle().deprecated_since().name(), *row.deprecated_since);
    EXPECT_EQ(kfunc.lifecycle().has_window_end(), row.window_end.has_value());
    if (row.window_end) EXPECT_EQ(kfunc.lifecycle().window_end().name(), *row.window_end);
    EXPECT_EQ(kfunc.status(), StatusOf(row.status));
    EXPECT_EQ(kfunc.status_history_size(), row.status_runs);
    EXPECT_EQ(kfunc.violations_size(), row.violations);
  }
}

TEST_F(QueryClassesTest, GetKfuncTellsADeprecationWithItsWindow) {
  v1::Kfunc kfunc = Get("bpf_example_lookup_old");
  EXPECT_EQ(kfunc.lineage().name(), "example");
  EXPECT_EQ(kfunc.lineage().kind(), v1::LINEAGE_KIND_EXAMPLE);
  EXPECT_TRUE(kfunc.lineage().example_data());
  const v1::Lifecycle& lifecycle = kfunc.lifecycle();
  EXPECT_EQ(lifecycle.introduced_in().name(), "6.8");
  EXPECT_FALSE(lifecycle.has_introduced_after()) << "present since the oldest data";
  EXPECT_EQ(lifecycle.stable_since().name(), "6.9");
  EXPECT_EQ(lifecycle.deprecated_since().name(), "6.11");
  // Ten catalog positions after 6.11: 6.12 .. 6.19, 7.0, 7.1 (6.19 is
  // followed by 7.0, never by "6.20").
  EXPECT_EQ(lifecycle.window_end().name(), "7.1");
  EXPECT_EQ(lifecycle.earliest_removal().name(), "7.2");
  EXPECT_EQ(lifecycle.window_end().ordinal() + 1, lifecycle.earliest_removal().ordinal());
  EXPECT_EQ(lifecycle.window_releases(), 10);
  EXPECT_FALSE(lifecycle.has_removed_in());
  EXPECT_EQ(kfunc.status(), v1::KFUNC_STATUS_DEPRECATED);
  EXPECT_EQ(kfunc.status_at().name(), "6.15");
  ASSERT_FALSE(kfunc.flag_history().empty());
  EXPECT_THAT(kfunc.flag_history().rbegin()->flag_names(),
              ::testing::IsSupersetOf({"KF_ACQUIRE", "KF_RET_NULL", "KF_STABLE", "KF_DEPRECATED"}));
  ASSERT_EQ(kfunc.sets_size(), 1);
  EXPECT_EQ(kfunc.sets(0).owner(), "vmlinux");
  EXPECT_FALSE(kfunc.sets(0).set_name().empty());
  ASSERT_EQ(kfunc.availability_size(), 1);
  EXPECT_EQ(kfunc.availability(0).arch(), "amd64");
  EXPECT_EQ(kfunc.availability(0).range().first().name(), "6.8");
  EXPECT_EQ(kfunc.availability(0).range().last().name(), "6.15");
}

TEST_F(QueryClassesTest, GetKfuncTellsIntroductionsRemovalsAndViolations) {
  v1::Kfunc module_kfunc = Get("bpf_example_ct_lookup");
  EXPECT_EQ(module_kfunc.lifecycle().introduced_in().name(), "6.10");
  EXPECT_EQ(module_kfunc.lifecycle().introduced_after().name(), "6.9");
  EXPECT_TRUE(module_kfunc.lifecycle().introduced_exact());
  ASSERT_EQ(module_kfunc.sets_size(), 1);
  EXPECT_EQ(module_kfunc.sets(0).owner(), "example_conntrack");

  v1::Kfunc scratch = Get("bpf_example_scratch");
  EXPECT_EQ(scratch.status(), v1::KFUNC_STATUS_REMOVED);
  EXPECT_EQ(scratch.lifecycle().last_present().name(), "6.9");
  EXPECT_EQ(scratch.lifecycle().removed_in().name(), "6.10");
  EXPECT_TRUE(scratch.lifecycle().removed_exact());

  v1::Kfunc rushed = Get("bpf_example_rushed_removal");
  std::vector<v1::ViolationKind> kinds;
  for (const auto& violation : rushed.violations()) kinds.push_back(violation.kind());
  EXPECT_THAT(kinds, ElementsAre(v1::VIOLATION_KIND_REMOVED_BEFORE_WINDOW_END,
                                 v1::VIOLATION_KIND_REMOVED_NAME_REUSED));
  EXPECT_EQ(rushed.violations(0).release().name(), "6.14");

  // A renamed parameter changes the prototype text, not the signature.
  v1::Kfunc renamed = Get("bpf_example_param_rename");
  ASSERT_EQ(renamed.prototype_history_size(), 2);
  EXPECT_NE(renamed.prototype_history(0).prototype(), renamed.prototype_history(1).prototype());
  EXPECT_EQ(renamed.prototype_history(0).signature_hash(), renamed.prototype_history(1).signature_hash());
  EXPECT_EQ(renamed.prototype_history(1).range().first().name(), "6.12");
}

TEST_F(QueryClassesTest, GetKfuncRejectsBadRequests) {
  GetKfuncQuery query(*pool_);
  v1::Kfunc kfunc;
  v1::GetKfuncRequest request;
  request.set_lineage("example");

  request.set_name("bpf_example_never_there");
  absl::Status status = query.Run(request, kNoDeadline, &kfunc);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;

  request.set_name("not a name;");
  status = query.Run(request, kNoDeadline, &kfunc);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("GetKfuncRequest.name"));

  request.set_name("bpf_example_cast");
  request.set_lineage("no-such-lineage");
  status = query.Run(request, kNoDeadline, &kfunc);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("GetKfuncRequest.lineage"));

  // The mainline lineage exists but never had the example's kfuncs.
  request.set_lineage("");
  EXPECT_EQ(query.Run(request, kNoDeadline, &kfunc).code(), absl::StatusCode::kNotFound);
}

TEST_F(QueryClassesTest, ListKfuncsPagesThroughEveryKfuncInOrder) {
  // Statuses are taken at the newest point (6.15); removed kfuncs are
  // listed too, with status REMOVED.
  std::vector<std::string> expected;
  for (const LifecycleTableRow& row : ReadLifecycleTable()) expected.push_back(row.name);
  ASSERT_EQ(expected.size(), 16u);
  v1::ListKfuncsRequest request;
  request.set_page_size(5);  // 4 pages, the last one short
  EXPECT_EQ(ListNames(request), expected);
}

TEST_F(QueryClassesTest, ListKfuncsFilters) {
  v1::ListKfuncsRequest deprecated;
  deprecated.set_status(v1::KFUNC_STATUS_DEPRECATED);
  EXPECT_THAT(ListNames(deprecated), ElementsAre("bpf_example_lookup_old", "bpf_example_rushed_removal"));
  deprecated.set_at_release("6.14");  // rushed_removal is absent in 6.14
  EXPECT_THAT(ListNames(deprecated), ElementsAre("bpf_example_lookup_old"));
  deprecated.set_at_release("6.10");
  EXPECT_THAT(ListNames(deprecated), ::testing::IsEmpty());

  v1::ListKfuncsRequest at_6_8;
  at_6_8.set_at_release("6.8");
  at_6_8.set_name_prefix("bpf_example_iter");
  EXPECT_THAT(ListNames(at_6_8), ::testing::IsEmpty()) << "not yet introduced are left out";

  v1::ListKfuncsRequest prefix;
  prefix.set_name_prefix("bpf_example_iter");
  EXPECT_THAT(ListNames(prefix), ElementsAre("bpf_example_iter_destroy", "bpf_example_iter_new",
                                             "bpf_example_iter_next"));

  v1::ListKfuncsRequest flag;
  flag.set_flag("KF_ITER_NEW");
  EXPECT_THAT(ListNames(flag), ElementsAre("bpf_example_iter_new"));

  v1::ListKfuncsRequest owner;
  owner.set_owner("example_conntrack");
  EXPECT_THAT(ListNames(owner), ElementsAre("bpf_example_ct_lookup", "bpf_example_ct_release"));

  v1::ListKfuncsRequest stable;
  stable.set_status(v1::KFUNC_STATUS_STABLE);
  stable.set_flag("KF_STABLE");
  EXPECT_THAT(ListNames(stable), ::testing::Contains("bpf_example_task_acquire"));
}

TEST_F(QueryClassesTest, ListKfuncsRejectsBadPagingAndFilters) {
  ListKfuncsQuery query(*pool_);
  v1::ListKfuncsResponse page;
  auto code_and_message = [&](const v1::ListKfuncsRequest& request) {
    absl::Status status = query.Run(request, kNoDeadline, &page);
    return std::make_pair(status.code(), std::string(status.message()));
  };

  v1::ListKfuncsRequest request;
  request.set_lineage("example");
  request.set_page_size(1001);
  auto [code, message] = code_and_message(request);
  EXPECT_EQ(code, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(message, HasSubstr("page_size"));
  request.set_page_size(-1);
  EXPECT_EQ(code_and_message(request).first, absl::StatusCode::kInvalidArgument);

  request.set_page_size(2);
  ASSERT_TRUE(query.Run(request, kNoDeadline, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  v1::ListKfuncsRequest other_filters = request;
  other_filters.set_page_token(page.next_page_token());
  other_filters.set_name_prefix("bpf_example_iter");
  std::tie(code, message) = code_and_message(other_filters);
  EXPECT_EQ(code, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(message, HasSubstr("other filters"));

  v1::ListKfuncsRequest forged = request;
  forged.set_page_token("not-a-token");
  std::tie(code, message) = code_and_message(forged);
  EXPECT_EQ(code, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(message, HasSubstr("page_token"));

  v1::ListKfuncsRequest bad_release = request;
  bad_release.set_at_release("six.one");
  std::tie(code, message) = code_and_message(bad_release);
  EXPECT_EQ(code, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(message, HasSubstr("at_release"));

  v1::ListKfuncsRequest bad_flag = request;
  bad_flag.set_flag("KF_NO_SUCH_FLAG");
  EXPECT_EQ(code_and_message(bad_flag).first, absl::StatusCode::kInvalidArgument);
}

TEST_F(QueryClassesTest, ListDeprecationsIsSortedByWindowEndAndFiltered) {
  ListDeprecationsQuery query(*pool_);
  auto names = [&](const v1::ListDeprecationsRequest& request) {
    std::vector<v1::Deprecation> calendar;
    absl::Status status = query.Run(request, kNoDeadline, &calendar);
    EXPECT_TRUE(status.ok()) << status;
    std::vector<std::string> out;
    for (const auto& entry : calendar) {
      EXPECT_TRUE(entry.lineage().example_data());
      out.push_back(absl::StrCat(entry.kfunc(), "@", entry.window_end().name()));
    }
    return out;
  };
  v1::ListDeprecationsRequest request;
  request.set_lineage("example");
  EXPECT_THAT(names(request), ElementsAre("bpf_example_lookup_old@7.1", "bpf_example_rushed_removal@7.2"));
  request.set_release("7.2");
  EXPECT_THAT(names(request), ElementsAre("bpf_example_lookup_old@7.1"));
  request.set_date("2026-06-14");  // 7.1's date: strictly before excludes it
  EXPECT_THAT(names(request), ::testing::IsEmpty());
  request.set_date("2026-06-15");
  EXPECT_THAT(names(request), ElementsAre("bpf_example_lookup_old@7.1"));

  std::vector<v1::Deprecation> calendar;
  request.set_date("2026-13-01");
  absl::Status status = query.Run(request, kNoDeadline, &calendar);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("ListDeprecationsRequest.date"));
}

TEST_F(QueryClassesTest, ListReleasesListsTheCatalogWithProjections) {
  ListReleasesQuery query(*pool_);
  v1::ListReleasesRequest request;
  request.set_lineage("example");
  request.set_page_size(7);
  std::vector<v1::Release> releases;
  do {
    v1::ListReleasesResponse page;
    ASSERT_TRUE(query.Run(request, kNoDeadline, &page).ok());
    releases.insert(releases.end(), page.releases().begin(), page.releases().end());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  ASSERT_GT(releases.size(), 30u);
  for (size_t i = 0; i < releases.size(); ++i) EXPECT_EQ(releases[i].ordinal(), static_cast<int>(i));
  auto find = [&](const std::string& name) {
    return *std::find_if(releases.begin(), releases.end(), [&](const auto& r) { return r.name() == name; });
  };
  EXPECT_TRUE(find("6.8").has_builds());
  EXPECT_EQ(find("6.8").date(), "2024-03-10");
  EXPECT_FALSE(find("6.16").has_builds());
  EXPECT_TRUE(releases.back().projected());
  EXPECT_FALSE(find("6.1").projected());
}

TEST_F(QueryClassesTest, BuildsAreListedAndDescribed) {
  v1::ListBuildsRequest list;
  list.set_lineage("example");
  list.set_page_size(3);
  std::vector<v1::Build> builds;
  do {
    v1::ListBuildsResponse page;
    ASSERT_TRUE(ListBuildsQuery(*pool_).Run(list, kNoDeadline, &page).ok());
    builds.insert(builds.end(), page.builds().begin(), page.builds().end());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  ASSERT_EQ(builds.size(), 8u);
  EXPECT_EQ(builds[0].kernel_release(), "6.8.0-example");
  EXPECT_TRUE(builds[0].lineage().example_data());
  EXPECT_TRUE(builds[0].flags_known());

  v1::GetBuildRequest get;
  get.set_content_sha256(builds[2].content_sha256());  // 6.10: the module appears
  v1::Build build;
  ASSERT_TRUE(GetBuildQuery(*pool_).Run(get, kNoDeadline, &build).ok());
  EXPECT_EQ(build.id(), builds[2].id());
  EXPECT_EQ(build.release(), "6.10");
  EXPECT_FALSE(build.inputs().empty());
  ASSERT_EQ(build.modules_size(), 1);
  EXPECT_EQ(build.modules(0).name(), "example_conntrack");

  get.set_id(999999);
  EXPECT_EQ(GetBuildQuery(*pool_).Run(get, kNoDeadline, &build).code(), absl::StatusCode::kNotFound);
  get.set_content_sha256("xyz");
  EXPECT_EQ(GetBuildQuery(*pool_).Run(get, kNoDeadline, &build).code(),
            absl::StatusCode::kInvalidArgument);
}

v1::DiffReleasesResponse Diff(ReaderPool& pool, v1::ReleaseOrBuild from, v1::ReleaseOrBuild to) {
  v1::DiffReleasesRequest request;
  request.set_lineage("example");
  *request.mutable_from() = std::move(from);
  *request.mutable_to() = std::move(to);
  v1::DiffReleasesResponse diff;
  absl::Status status = DiffReleasesQuery(pool).Run(request, kNoDeadline, &diff);
  EXPECT_TRUE(status.ok()) << status;
  return diff;
}

v1::ReleaseOrBuild Release(const std::string& name) {
  v1::ReleaseOrBuild target;
  target.set_release(name);
  return target;
}

v1::ReleaseOrBuild BuildTarget(int64_t id) {
  v1::ReleaseOrBuild target;
  target.set_build_id(id);
  return target;
}

TEST_F(QueryClassesTest, DiffReleasesReportsEveryKindOfChange) {
  v1::DiffReleasesResponse diff = Diff(*pool_, Release("6.9"), Release("6.10"));
  EXPECT_EQ(diff.from_release().name(), "6.9");
  EXPECT_THAT(diff.added(), ElementsAre("bpf_example_ct_lookup", "bpf_example_ct_release"));
  EXPECT_THAT(diff.removed(), ElementsAre("bpf_example_scratch"));
  std::map<std::string, std::pair<v1::KfuncStatus, v1::KfuncStatus>> statuses;
  for (const auto& change : diff.status_changed()) {
    statuses[change.kfunc()] = {change.from_status(), change.to_status()};
  }
  EXPECT_EQ(statuses["bpf_example_task_acquire"],
            std::make_pair(v1::KFUNC_STATUS_UNSTABLE, v1::KFUNC_STATUS_STABLE));
  EXPECT_EQ(statuses["bpf_example_ct_lookup"],
            std::make_pair(v1::KFUNC_STATUS_NOT_YET_INTRODUCED, v1::KFUNC_STATUS_UNSTABLE));
  std::set<std::string> flags_changed;
  for (const auto& change : diff.flags_changed()) flags_changed.insert(change.kfunc());
  EXPECT_TRUE(flags_changed.contains("bpf_example_task_acquire"));

  diff = Diff(*pool_, Release("6.12"), Release("6.13"));
  ASSERT_FALSE(diff.prototype_changed().empty());
  EXPECT_EQ(diff.prototype_changed(0).kfunc(), "bpf_example_proto_change");
  EXPECT_TRUE(diff.prototype_changed(0).signature_changed());
  EXPECT_THAT(diff.removed(), ::testing::Contains("bpf_example_stable_dropped"));

  diff = Diff(*pool_, Release("6.11"), Release("6.12"));
  ASSERT_EQ(diff.prototype_changed_size(), 1);
  EXPECT_EQ(diff.prototype_changed(0).kfunc(), "bpf_example_param_rename");
  EXPECT_FALSE(diff.prototype_changed(0).signature_changed()) << "only a parameter was renamed";
}

TEST_F(QueryClassesTest, DiffBetweenBuildsUsesTheBuildsPoints) {
  v1::ListBuildsRequest list;
  list.set_lineage("example");
  v1::ListBuildsResponse builds;
  ASSERT_TRUE(ListBuildsQuery(*pool_).Run(list, kNoDeadline, &builds).ok());
  ASSERT_EQ(builds.builds_size(), 8);
  v1::DiffReleasesResponse by_build =
      Diff(*pool_, BuildTarget(builds.builds(1).id()), BuildTarget(builds.builds(2).id()));
  v1::DiffReleasesResponse by_release = Diff(*pool_, Release("6.9"), Release("6.10"));
  EXPECT_EQ(by_build.to_release().name(), "6.10");
  EXPECT_EQ(by_build.SerializeAsString(), by_release.SerializeAsString())
      << "one build per release: the same diff";

  v1::DiffReleasesRequest missing;
  missing.set_lineage("example");
  *missing.mutable_from() = Release("6.9");
  v1::DiffReleasesResponse diff;
  absl::Status status = DiffReleasesQuery(*pool_).Run(missing, kNoDeadline, &diff);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("DiffReleasesRequest.to"));
  *missing.mutable_to() = BuildTarget(424242);
  EXPECT_EQ(DiffReleasesQuery(*pool_).Run(missing, kNoDeadline, &diff).code(), absl::StatusCode::kNotFound);
}

TEST_F(QueryClassesTest, CheckCompatibilityJudgesEveryPair) {
  v1::ListBuildsRequest list;
  list.set_lineage("example");
  v1::ListBuildsResponse builds;
  ASSERT_TRUE(ListBuildsQuery(*pool_).Run(list, kNoDeadline, &builds).ok());

  v1::CheckCompatibilityRequest request;
  request.set_lineage("example");
  for (const char* name : {"bpf_example_lookup", "bpf_example_lookup_old", "bpf_example_scratch",
                           "bpf_example_task_acquire", "bpf_example_unheard_of"}) {
    request.add_kfuncs(name);
  }
  *request.add_targets() = Release("6.9");
  *request.add_targets() = Release("6.15");
  *request.add_targets() = Release("7.0");  // after the newest data
  *request.add_targets() = BuildTarget(builds.builds(4).id());  // 6.12
  v1::CheckCompatibilityResponse response;
  absl::Status status = CheckCompatibilityQuery(*pool_).Run(request, kNoDeadline, &response);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(response.results_size(), 20);
  std::map<std::string, v1::CompatibilityResult> by_pair;
  for (const auto& result : response.results()) {
    by_pair[absl::StrCat(result.kfunc(), "@", result.target_index())] = result;
  }
  auto verdict = [&](const std::string& pair) { return by_pair.at(pair).verdict(); };
  EXPECT_EQ(verdict("bpf_example_lookup@0"), v1::VERDICT_MISSING);
  EXPECT_EQ(verdict("bpf_example_lookup@1"), v1::VERDICT_AVAILABLE);
  EXPECT_EQ(verdict("bpf_example_lookup@2"), v1::VERDICT_UNKNOWN) << "unstable: no promise";
  EXPECT_TRUE(by_pair.at("bpf_example_lookup@2").projected());
  EXPECT_EQ(verdict("bpf_example_lookup@3"), v1::VERDICT_AVAILABLE);
  EXPECT_EQ(verdict("bpf_example_lookup_old@0"), v1::VERDICT_AVAILABLE);
  EXPECT_EQ(verdict("bpf_example_lookup_old@1"), v1::VERDICT_DEPRECATED);
  EXPECT_EQ(by_pair.at("bpf_example_lookup_old@1").window_end().name(), "7.1");
  EXPECT_EQ(verdict("bpf_example_lookup_old@2"), v1::VERDICT_DEPRECATED) << "7.0 is inside the window";
  EXPECT_EQ(verdict("bpf_example_lookup_old@3"), v1::VERDICT_DEPRECATED);
  EXPECT_EQ(verdict("bpf_example_scratch@0"), v1::VERDICT_AVAILABLE);
  EXPECT_EQ(verdict("bpf_example_scratch@1"), v1::VERDICT_REMOVED);
  EXPECT_EQ(verdict("bpf_example_scratch@3"), v1::VERDICT_REMOVED);
  EXPECT_EQ(verdict("bpf_example_task_acquire@2"), v1::VERDICT_AVAILABLE) << "stable: promised";
  EXPECT_EQ(verdict("bpf_example_unheard_of@1"), v1::VERDICT_MISSING);
  ASSERT_EQ(response.targets_size(), request.targets_size()) << "each target resolved once";
  EXPECT_EQ(response.targets(by_pair.at("bpf_example_lookup@1").target_index()).name(), "6.15");
  EXPECT_FALSE(response.targets(2).has_builds()) << "7.0 is after the newest data";
  EXPECT_EQ(response.targets(3).name(), "6.12") << "a build resolves to its point";
  EXPECT_EQ(response.overall(), v1::OVERALL_VERDICT_INCOMPATIBLE);

  v1::CheckCompatibilityRequest fine;
  fine.set_lineage("example");
  fine.add_kfuncs("bpf_example_task_acquire");
  fine.add_kfuncs("bpf_example_lookup_old");
  *fine.add_targets() = Release("6.12");
  ASSERT_TRUE(CheckCompatibilityQuery(*pool_).Run(fine, kNoDeadline, &response).ok());
  EXPECT_EQ(response.overall(), v1::OVERALL_VERDICT_COMPATIBLE_WITH_DEPRECATIONS);
  fine.set_kfuncs(1, "bpf_example_lookup");
  ASSERT_TRUE(CheckCompatibilityQuery(*pool_).Run(fine, kNoDeadline, &response).ok());
  EXPECT_EQ(response.overall(), v1::OVERALL_VERDICT_COMPATIBLE);

  fine.clear_targets();
  status = CheckCompatibilityQuery(*pool_).Run(fine, kNoDeadline, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("targets"));
  *fine.add_targets() = Release("6.99");
  status = CheckCompatibilityQuery(*pool_).Run(fine, kNoDeadline, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("targets[0].release"));
}

TEST_F(QueryClassesTest, ListViolationsPagesAndFilters) {
  ListViolationsQuery query(*pool_);
  v1::ListViolationsRequest request;
  request.set_lineage("example");
  request.set_page_size(2);
  std::vector<std::string> seen;
  do {
    v1::ListViolationsResponse page;
    ASSERT_TRUE(query.Run(request, kNoDeadline, &page).ok());
    for (const auto& violation : page.violations()) {
      seen.push_back(absl::StrCat(violation.kfunc(), "@", violation.release().name()));
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(seen, ElementsAre("bpf_example_proto_change@6.13", "bpf_example_rushed_removal@6.14",
                                "bpf_example_rushed_removal@6.15", "bpf_example_stable_dropped@6.13",
                                "bpf_example_unstabled@6.12"));

  v1::ListViolationsRequest by_kind;
  by_kind.set_lineage("example");
  by_kind.set_kind(v1::VIOLATION_KIND_STABLE_CLEARED_WITHOUT_DEPRECATION);
  v1::ListViolationsResponse page;
  ASSERT_TRUE(query.Run(by_kind, kNoDeadline, &page).ok());
  ASSERT_EQ(page.violations_size(), 1);
  EXPECT_EQ(page.violations(0).kfunc(), "bpf_example_unstabled");
}

TEST_F(QueryClassesTest, AnExpiredDeadlineIsDeadlineExceeded) {
  v1::GetKfuncRequest request;
  request.set_name("bpf_example_cast");
  request.set_lineage("example");
  v1::Kfunc kfunc;
  absl::Status status = GetKfuncQuery(*pool_).Run(request, absl::Now() - absl::Seconds(1), &kfunc);
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
}

// One flags word kept from 6.3 to 6.4, where bit 3 stops being KF_KPTR_GET:
// the flag history says so instead of naming both releases with 6.3's table.
// resources.proto promises that a ReleaseRef and a Release read each
// other's bytes (a ReleaseRef is a Release with only name and ordinal).
TEST(ReleaseRefTest, ReadsAndIsReadAsARelease) {
  v1::ReleaseRef ref;
  ref.set_name("6.12");
  ref.set_ordinal(22);
  v1::Release as_release;
  ASSERT_TRUE(as_release.ParseFromString(ref.SerializeAsString()));
  EXPECT_EQ(as_release.name(), "6.12");
  EXPECT_EQ(as_release.ordinal(), 22);

  v1::Release release;
  release.set_name("7.1");
  release.set_date("2026-06-14");
  release.set_ordinal(31);
  release.set_projected(true);
  release.set_mainline_release("7.1");
  v1::ReleaseRef as_ref;
  ASSERT_TRUE(as_ref.ParseFromString(release.SerializeAsString()));
  EXPECT_EQ(as_ref.name(), "7.1");
  EXPECT_EQ(as_ref.ordinal(), 31);
}

TEST(FlagHistoryTest, RunIsCutWhereABitChangesMeaning) {
  testing::ScratchDir dir;
  for (const char* release : {"6.3.0-example", "6.4.0-example"}) {
    fixtures::VmlinuxSpec spec;
    spec.kernel_release = release;
    spec.sets = {{"example_kfunc_ids", 0}};
    spec.kfuncs = {{.name = "bpf_example_kptr_get", .set = "example_kfunc_ids", .flags = 0x9,
                    .return_type = "void *", .params = {{"void *", "p"}}}};
    absl::StatusOr<std::string> elf = fixtures::BuildVmlinuxElf(spec);
    ASSERT_TRUE(elf.ok()) << elf.status();
    testing::WriteFileOrFail(dir / release, *elf);
    ASSERT_TRUE(testing::IngestInputs(dir / "flags.db", {dir / release}, "example").ok());
  }
  auto pool = ReaderPool::Open(dir / "flags.db", 1);
  ASSERT_TRUE(pool.ok()) << pool.status();
  v1::GetKfuncRequest request;
  request.set_name("bpf_example_kptr_get");
  request.set_lineage("example");
  v1::Kfunc kfunc;
  ASSERT_TRUE(GetKfuncQuery(**pool).Run(request, kNoDeadline, &kfunc).ok());
  ASSERT_EQ(kfunc.flag_history_size(), 2) << kfunc.DebugString();
  const v1::FlagRun& old_meaning = kfunc.flag_history(0);
  const v1::FlagRun& new_meaning = kfunc.flag_history(1);
  EXPECT_EQ(old_meaning.range().first().name(), "6.3");
  EXPECT_EQ(old_meaning.range().last().name(), "6.3");
  EXPECT_THAT(old_meaning.flag_names(), ElementsAre("KF_ACQUIRE", "KF_KPTR_GET"));
  EXPECT_EQ(new_meaning.range().first().name(), "6.4");
  EXPECT_EQ(new_meaning.range().last().name(), "6.4");
  EXPECT_THAT(new_meaning.flag_names(), ElementsAre("KF_ACQUIRE", "bit3"));
  EXPECT_EQ(old_meaning.flags(), 0x9u);
  EXPECT_EQ(new_meaning.flags(), 0x9u);
}

}  // namespace
}  // namespace kfuncdb::server
