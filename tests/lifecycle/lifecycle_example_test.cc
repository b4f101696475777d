// The fixture generator's example lineage (tests/fixtures/example_lineage.cc:
// 6.8 .. 6.15, one amd64 vmlinux per release, a module from 6.10) written to
// disk and ingested through the real path (unpack a folder, ExtractBuild,
// BuildWriter with --lineage example): each kfunc's story comes out as the
// fixture documents it, and none of it reaches mainline.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sqlite/migrations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/extract/extract_build.h"
#include "ingest/store/build_writer.h"
#include "ingest/unpack/unpack.h"
#include "tests/fixtures/kernel_fixture.h"
#include "tests/lifecycle/sql_rows.h"
#include "tests/support/test_support.h"

namespace kfuncdb::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class LifecycleExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fixtures::WriteExampleLineage(dir_ / "example").ok());
    absl::StatusOr<sqlite::Database> db = sqlite::OpenForWriting(dir_ / "k.db");
    ASSERT_TRUE(db.ok()) << db.status();
    db_.emplace(std::move(db).value());
    BuildWriter writer(*db_);
    for (const fixtures::ExampleRelease& release : fixtures::ExampleLineage()) {
      const std::filesystem::path folder = dir_ / "example" / release.build.spec.kernel_release;
      absl::StatusOr<std::vector<extract::KernelArtifacts>> builds = unpack::UnpackInputs({folder}, {});
      ASSERT_TRUE(builds.ok()) << folder << ": " << builds.status();
      ASSERT_EQ(builds->size(), 1u) << folder;
      absl::StatusOr<v1::BuildRecord> record = extract::ExtractBuild((*builds)[0], {});
      ASSERT_TRUE(record.ok()) << folder << ": " << record.status();
      ASSERT_EQ(record->release(), release.mainline);
      record->set_lineage("example");
      absl::StatusOr<WriteResult> written = writer.Write(*record);
      ASSERT_TRUE(written.ok()) << folder << ": " << written.status();
    }
  }

  std::vector<std::string> Rows(const std::string& sql) { return kfuncdb::testing::SqlRows(*db_, sql); }

  // introduced_in, introduced_after, exact, stable_since, deprecated_since,
  // window_end, removed_in, status; points and releases by name.
  std::string Lifecycle(const std::string& kfunc) {
    std::vector<std::string> rows = Rows(absl::StrCat(
        "SELECT pi.name, pa.name, k.introduced_exact, ps.name, pd.name, we.name, pr.name, k.status"
        " FROM kfunc_lifecycle k JOIN names n ON n.id = k.kfunc_name_id"
        " JOIN lineages l ON l.id = k.lineage_id AND l.name = 'example'"
        " JOIN lineage_points pi ON pi.lineage_id = k.lineage_id AND pi.ordinal = k.introduced_in"
        " LEFT JOIN lineage_points pa ON pa.lineage_id = k.lineage_id AND pa.ordinal = k.introduced_after"
        " LEFT JOIN lineage_points ps ON ps.lineage_id = k.lineage_id AND ps.ordinal = k.stable_since"
        " LEFT JOIN lineage_points pd ON pd.lineage_id = k.lineage_id AND pd.ordinal = k.deprecated_since"
        " LEFT JOIN releases we ON we.ordinal = k.window_end_release"
        " LEFT JOIN lineage_points pr ON pr.lineage_id = k.lineage_id AND pr.ordinal = k.removed_in"
        " WHERE n.name = '", kfunc, "'"));
    return rows.size() == 1 ? rows[0] : absl::StrCat(rows.size(), " rows");
  }

  std::vector<std::string> Violations(const std::string& kfunc) {
    return Rows(absl::StrCat("SELECT v.kind, p.name FROM violations v JOIN names n ON n.id = v.kfunc_name_id"
                             " JOIN lineage_points p ON p.lineage_id = v.lineage_id AND p.ordinal = v.point"
                             " WHERE n.name = '", kfunc, "' ORDER BY v.point"));
  }

  kfuncdb::testing::ScratchDir dir_;
  std::optional<sqlite::Database> db_;
};

TEST_F(LifecycleExampleTest, EveryStoryOfTheExampleLineage) {
  EXPECT_EQ(Lifecycle("bpf_example_task_acquire"), "6.8|-|0|6.10|-|-|-|stable");
  // Deprecated in 6.11: ten catalog positions later is 7.1 (6.19 is
  // followed by 7.0), not "6.21".
  EXPECT_EQ(Lifecycle("bpf_example_lookup_old"), "6.8|-|0|6.9|6.11|7.1|-|deprecated");
  EXPECT_EQ(Lifecycle("bpf_example_lookup"), "6.11|6.10|1|-|-|-|-|unstable");
  EXPECT_EQ(Lifecycle("bpf_example_scratch"), "6.8|-|0|-|-|-|6.10|removed");
  EXPECT_EQ(Lifecycle("bpf_example_ct_lookup"), "6.10|6.9|1|6.12|-|-|-|stable");

  EXPECT_THAT(Violations("bpf_example_rushed_removal"),
              ElementsAre("removed_before_window_end|6.14", "removed_name_reused|6.15"));
  EXPECT_THAT(Violations("bpf_example_stable_dropped"), ElementsAre("stable_removed_without_deprecation|6.13"));
  EXPECT_THAT(Violations("bpf_example_proto_change"), ElementsAre("prototype_changed_while_stable|6.13"));
  EXPECT_THAT(Violations("bpf_example_unstabled"), ElementsAre("stable_cleared_without_deprecation|6.12"));
  EXPECT_THAT(Violations("bpf_example_param_rename"), IsEmpty());
  EXPECT_THAT(Violations("bpf_example_lookup_old"), IsEmpty());
  // A renamed parameter is a new prototype run, not a signature change.
  EXPECT_THAT(Rows("SELECT f.name, p.prototype FROM kfunc_prototype_runs r"
                   " JOIN names n ON n.id = r.kfunc_name_id AND n.name = 'bpf_example_param_rename'"
                   " JOIN prototypes p ON p.id = r.prototype_id"
                   " JOIN lineage_points f ON f.lineage_id = r.lineage_id AND f.ordinal = r.from_point"
                   " ORDER BY r.from_point"),
              ::testing::SizeIs(2));
  // A set8 with header flag 0 in kernels that mark kfunc sets is no kfunc set.
  EXPECT_EQ(Lifecycle("bpf_example_fmodret_target"), "0 rows");
  // Example data never lands in mainline.
  EXPECT_THAT(Rows("SELECT count(*) FROM kfunc_lifecycle k JOIN lineages l ON l.id = k.lineage_id"
                   " WHERE l.name = 'mainline'"),
              ElementsAre("0"));
  EXPECT_THAT(Rows("SELECT count(*) FROM conflicts"), ElementsAre("0"));
}

}  // namespace
}  // namespace kfuncdb::store
