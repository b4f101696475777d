// Lifecycle over the real corpus, through the real unpack, extract and
// write path: the Debian 6.1 and 6.12 amd64 kernels and the 6.18 raw BTF,
// all filed in mainline. The kernels are unpacked and extracted once per
// test binary (SetUpTestSuite); the tests then write the records into
// fresh databases, which is cheap.
#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sqlite/migrations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/extract/extract_build.h"
#include "ingest/store/build_writer.h"
#include "ingest/unpack/unpack.h"
#include "tests/lifecycle/sql_rows.h"
#include "tests/support/test_support.h"

namespace kfuncdb::store {
namespace {

using ::testing::ElementsAre;
using kfuncdb::v1::BuildRecord;

constexpr char kDeb61[] = "linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb";
constexpr char kDeb612[] = "linux-image-6.12.118+deb13-cloud-amd64_6.12.118-1_amd64.deb";
constexpr char kRaw618[] = "host-6.18.44/vmlinux.btf";

class LifecycleCorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    records_ = new std::vector<BuildRecord>();
    for (const char* name : {kDeb61, kDeb612, kRaw618}) {
      std::optional<std::filesystem::path> path = kfuncdb::testing::CorpusFile(name);
      if (!path) {
        missing_ = new std::string(name);
        return;
      }
      absl::StatusOr<BuildRecord> record = CachedRecord(name, *path);
      ASSERT_TRUE(record.ok()) << name << ": " << record.status();
      record->set_lineage("mainline");
      records_->push_back(*std::move(record));
    }
  }

  // ctest runs each test in a process of its own: the extracted records are
  // cached in the build tree (written to a temporary name, then renamed, so
  // parallel test processes never read half a file).
  static absl::StatusOr<BuildRecord> CachedRecord(std::string_view name, const std::filesystem::path& path) {
    const std::filesystem::path cache_dir = std::filesystem::path(KFUNCDB_BINARY_DIR) / "lifecycle-corpus-cache";
    std::string key = absl::StrCat(std::string(name), ".", std::filesystem::file_size(path), ".pb");
    std::replace(key.begin(), key.end(), '/', '_');
    const std::filesystem::path cached = cache_dir / key;
    BuildRecord record;
    if (std::filesystem::exists(cached) && record.ParseFromString(kfuncdb::testing::ReadFileOrFail(cached))) {
      return record;
    }
    absl::StatusOr<std::vector<extract::KernelArtifacts>> builds = unpack::UnpackInputs({path}, {});
    if (!builds.ok()) return builds.status();
    if (builds->size() != 1) return absl::InternalError(absl::StrCat(builds->size(), " builds in ", path.string()));
    extract::ExtractOptions options;
    if (name == kRaw618) {
      // Raw BTF tells neither release nor architecture; the host was x86-64.
      options.release_override = "6.18.44";
      options.arch_override = "amd64";
    }
    absl::StatusOr<BuildRecord> extracted = extract::ExtractBuild((*builds)[0], options);
    if (!extracted.ok()) return extracted.status();
    std::filesystem::create_directories(cache_dir);
    const std::filesystem::path temporary = cache_dir / absl::StrCat(key, ".", ::getpid(), ".tmp");
    kfuncdb::testing::WriteFileOrFail(temporary, extracted->SerializeAsString());
    std::filesystem::rename(temporary, cached);
    return extracted;
  }
  static void TearDownTestSuite() {
    delete records_;
    delete missing_;
    records_ = nullptr;
    missing_ = nullptr;
  }

  void SetUp() override {
    if (missing_ != nullptr) GTEST_SKIP() << "corpus file missing: " << (kfuncdb::testing::CorpusDir() / *missing_);
    ASSERT_EQ(records_->size(), 3u);
  }

  sqlite::Database Ingest(const std::string& name, const std::vector<BuildRecord>& records) {
    absl::StatusOr<sqlite::Database> db = sqlite::OpenForWriting(dir_ / name);
    EXPECT_TRUE(db.ok()) << db.status();
    BuildWriter writer(*db);
    for (const BuildRecord& record : records) {
      absl::StatusOr<WriteResult> result = writer.Write(record);
      EXPECT_TRUE(result.ok()) << record.kernel_release() << ": " << result.status();
    }
    return std::move(db).value();
  }

  static std::vector<std::string> Rows(sqlite::Database& db, const std::string& sql) {
    return kfuncdb::testing::SqlRows(db, sql);
  }

  // introduced_in, introduced_after, exact, last_present, stability_known,
  // removed_in, removed_exact, status of `kfunc` in mainline, by point name.
  static std::string Lifecycle(sqlite::Database& db, const std::string& kfunc) {
    std::vector<std::string> rows = Rows(
        db, absl::StrCat("SELECT pi.name, pa.name, k.introduced_exact, pl.name, k.stability_known, pr.name,"
                         " k.removed_exact, k.status FROM kfunc_lifecycle k"
                         " JOIN names n ON n.id = k.kfunc_name_id"
                         " JOIN lineages l ON l.id = k.lineage_id AND l.name = 'mainline'"
                         " JOIN lineage_points pi ON pi.lineage_id = k.lineage_id AND pi.ordinal = k.introduced_in"
                         " LEFT JOIN lineage_points pa ON pa.lineage_id = k.lineage_id"
                         "   AND pa.ordinal = k.introduced_after"
                         " JOIN lineage_points pl ON pl.lineage_id = k.lineage_id AND pl.ordinal = k.last_present"
                         " LEFT JOIN lineage_points pr ON pr.lineage_id = k.lineage_id AND pr.ordinal = k.removed_in"
                         " WHERE n.name = '", kfunc, "'"));
    return rows.size() == 1 ? rows[0] : absl::StrCat(rows.size(), " rows");
  }

  static std::vector<BuildRecord>* records_;
  static std::string* missing_;
  kfuncdb::testing::ScratchDir dir_;
};

std::vector<BuildRecord>* LifecycleCorpusTest::records_ = nullptr;
std::string* LifecycleCorpusTest::missing_ = nullptr;

TEST_F(LifecycleCorpusTest, TaskAcquireIntroducedIn612AfterOneAsARange) {
  sqlite::Database db = Ingest("k.db", *records_);
  // No release between 6.1 and 6.12 is in the database: a range.
  // 6.18's raw BTF has it too, without flags: status unknown there.
  EXPECT_EQ(Lifecycle(db, "bpf_task_acquire"), "6.12|6.1|0|6.18|1|-|0|unknown");
  EXPECT_THAT(Rows(db, "SELECT f.name, t.name, r.flags FROM kfunc_flag_runs r"
                       " JOIN names n ON n.id = r.kfunc_name_id AND n.name = 'bpf_task_acquire'"
                       " JOIN lineages l ON l.id = r.lineage_id AND l.name = 'mainline'"
                       " JOIN lineage_points f ON f.lineage_id = r.lineage_id AND f.ordinal = r.from_point"
                       " JOIN lineage_points t ON t.lineage_id = r.lineage_id AND t.ordinal = r.to_point"
                       " ORDER BY r.from_point"),
              ElementsAre("6.12|6.12|133", "6.18|6.18|-"));
  // KF_KPTR_GET went away in 6.4: its test kfunc is in 6.1 only.
  EXPECT_EQ(Lifecycle(db, "bpf_kfunc_call_test_kptr_get"), "6.1|-|0|6.1|1|6.12|0|removed");
}

TEST_F(LifecycleCorpusTest, KfuncsOfRawBtfOnlyHaveUnknownStability) {
  sqlite::Database db = Ingest("k.db", *records_);
  const std::string newest =
      "(SELECT p.ordinal FROM lineage_points p JOIN lineages l ON l.id = p.lineage_id"
      " WHERE l.name = 'mainline' AND p.name = '6.18')";
  std::vector<std::string> only_618 =
      Rows(db, absl::StrCat("SELECT k.stability_known, k.status, count(*) FROM kfunc_lifecycle k"
                            " JOIN lineages l ON l.id = k.lineage_id AND l.name = 'mainline'"
                            " WHERE k.introduced_in = ", newest, " GROUP BY 1, 2"));
  ASSERT_EQ(only_618.size(), 1u) << absl::StrJoin(only_618, "\n");
  EXPECT_THAT(only_618[0], ::testing::StartsWith("0|unknown|"));
  // No kfunc present in 6.18 is called unstable there.
  EXPECT_THAT(Rows(db, absl::StrCat("SELECT count(*) FROM kfunc_status_runs r"
                                    " JOIN lineages l ON l.id = r.lineage_id AND l.name = 'mainline'"
                                    " WHERE r.to_point = ", newest, " AND r.status = 'unstable'")),
              ElementsAre("0"));
}

TEST_F(LifecycleCorpusTest, IngestOrderDoesNotChangeTheLifecycle) {
  std::vector<BuildRecord> reversed(records_->rbegin(), records_->rend());
  sqlite::Database forward = Ingest("forward.db", *records_);
  sqlite::Database backward = Ingest("backward.db", reversed);
  EXPECT_THAT(Rows(forward, "SELECT count(*) > 200 FROM kfunc_lifecycle"), ElementsAre("1"));
  const std::string join = " JOIN names n ON n.id = t.kfunc_name_id";
  for (const std::string& sql : {
           "SELECT n.name, t.introduced_in, t.introduced_after, t.introduced_exact, t.last_present,"
           " t.stability_known, t.stable_since, t.deprecated_since, t.removed_in, t.removed_exact, t.status"
           " FROM kfunc_lifecycle t" + join,
           "SELECT n.name, t.from_point, t.to_point, t.status FROM kfunc_status_runs t" + join,
           "SELECT n.name, t.from_point, t.to_point, t.flags FROM kfunc_flag_runs t" + join,
           "SELECT n.name, t.from_point, t.to_point, p.prototype FROM kfunc_prototype_runs t" + join +
               " JOIN prototypes p ON p.id = t.prototype_id",
           "SELECT n.name, t.arch, t.flavour, t.first_point, t.last_point FROM kfunc_availability t" + join,
           "SELECT n.name, t.kind, t.point, t.detail FROM conflicts t" + join,
       }) {
    std::vector<std::string> expected = Rows(forward, sql + " ORDER BY 1, 2, 3, 4");
    EXPECT_EQ(Rows(backward, sql + " ORDER BY 1, 2, 3, 4"), expected) << sql;
  }
}

}  // namespace
}  // namespace kfuncdb::store
