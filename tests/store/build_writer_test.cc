// BuildWriter on real SQLite files: what one record becomes in the tables,
// identical content as a no-op, lineage placement, and all-or-nothing writes.
#include "ingest/store/build_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/sqlite/migrations.h"
#include "common/sqlite/transaction.h"
#include "tests/support/test_support.h"

namespace kfuncdb::store {
namespace {

using ::testing::HasSubstr;
using kfuncdb::v1::BuildRecord;
using kfuncdb::v1::KfuncRecord;

KfuncRecord* AddKfunc(BuildRecord& record, const std::string& name,
                      std::optional<uint32_t> flags, const std::string& prototype) {
  KfuncRecord* kfunc = record.add_kfuncs();
  kfunc->set_name(name);
  kfunc->set_owner("vmlinux");
  if (flags) {
    kfunc->set_flags(*flags);
    kfunc->set_set_name("bpf_test_kfunc_ids");
    kfunc->set_set_flags(1);
    kfunc->set_source(kfuncdb::v1::KFUNC_SOURCE_SET_SYMBOL);
  } else {
    kfunc->set_source(kfuncdb::v1::KFUNC_SOURCE_DECL_TAG);
  }
  kfunc->set_prototype(prototype);
  kfunc->set_signature_hash("hash-of-" + prototype);
  kfunc->add_decl_tags("bpf_kfunc");
  kfunc->set_btf_id(100 + record.kfuncs_size());
  return kfunc;
}

BuildRecord DebianRecord(const std::string& sha) {
  BuildRecord record;
  record.set_kernel_release("6.1.0-56-cloud-amd64");
  record.set_release("6.1");
  record.set_upstream_version("6.1.192");
  record.set_arch("amd64");
  record.set_flavour("cloud-amd64");
  record.set_distribution("debian");
  record.set_package_version("6.1.192-2");
  record.set_content_sha256(sha);
  record.add_inputs("linux-image.deb");
  record.set_flags_known(true);
  record.set_modules_scanned(3);
  AddKfunc(record, "bpf_task_acquire", 0x85, "struct task_struct *bpf_task_acquire(struct task_struct *p)");
  AddKfunc(record, "bpf_task_release", 0x2, "void bpf_task_release(struct task_struct *p)");
  // Same kfunc in a second set, and a prototype shared with the first.
  KfuncRecord* twin = AddKfunc(record, "bpf_task_acquire", 0x85,
                               "struct task_struct *bpf_task_acquire(struct task_struct *p)");
  twin->set_set_name("bpf_other_ids");
  twin->clear_decl_tags();
  twin->add_decl_tags("bpf_kfunc");
  twin->add_decl_tags("bpf_fastcall");
  kfuncdb::v1::ModuleRecord* module = record.add_modules();
  module->set_name("nf_nat");
  module->set_path("lib/modules/6.1.0-56-cloud-amd64/kernel/net/netfilter/nf_nat.ko");
  module->set_vermagic_release("6.1.0-56-cloud-amd64");
  module->set_kfunc_count(0);
  kfuncdb::v1::Diagnostic* diagnostic = record.add_diagnostics();
  diagnostic->set_origin("vmlinux");
  diagnostic->set_message("set without symbol");
  return record;
}

class BuildWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = sqlite::OpenForWriting(dir_ / "k.db");
    ASSERT_TRUE(db.ok()) << db.status();
    db_.emplace(std::move(db).value());
  }

  int64_t Scalar(const std::string& sql) {
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status();
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return stmt->ColumnInt64(0);
  }
  std::string Text(const std::string& sql) {
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status();
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return stmt->ColumnString(0);
  }

  testing::ScratchDir dir_;
  std::optional<sqlite::Database> db_;
};

TEST_F(BuildWriterTest, WritesEveryFactOfTheRecord) {
  BuildWriter writer(*db_);
  auto result = writer.Write(DebianRecord("aa"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->already_present);
  EXPECT_EQ(result->counts.kfunc_rows, 3);
  EXPECT_EQ(result->counts.distinct_kfuncs, 2);
  EXPECT_EQ(result->counts.modules, 1);
  EXPECT_EQ(result->counts.diagnostics, 1);

  EXPECT_EQ(Scalar("SELECT count(*) FROM builds"), 1);
  EXPECT_EQ(Text("SELECT inputs FROM builds"), R"(["linux-image.deb"])");
  EXPECT_EQ(Text("SELECT upstream_version || ' ' || flavour || ' ' || package_version FROM builds"),
            "6.1.192 cloud-amd64 6.1.192-2");
  EXPECT_EQ(Scalar("SELECT flags_known FROM builds"), 1);
  EXPECT_EQ(Scalar("SELECT modules_scanned FROM builds"), 3);
  EXPECT_EQ(Scalar("SELECT count(*) FROM build_kfuncs"), 3);
  // Two distinct prototypes, names interned once each.
  EXPECT_EQ(Scalar("SELECT count(*) FROM prototypes"), 2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM names WHERE name = 'bpf_task_acquire'"), 1);
  EXPECT_EQ(Scalar("SELECT k.flags FROM build_kfuncs k JOIN names n ON n.id = k.kfunc_name_id"
                   " WHERE n.name = 'bpf_task_release'"),
            0x2);
  EXPECT_EQ(Text("SELECT decl_tags FROM build_kfuncs k JOIN names s ON s.id = k.set_name_id"
                 " WHERE s.name = 'bpf_other_ids'"),
            "bpf_fastcall,bpf_kfunc");
  EXPECT_EQ(Text("SELECT source FROM build_kfuncs LIMIT 1"), "set_symbol");
  EXPECT_EQ(Text("SELECT name FROM build_modules"), "nf_nat");
  EXPECT_EQ(Text("SELECT message FROM build_diagnostics"), "set without symbol");
}

TEST_F(BuildWriterTest, IdenticalContentAgainIsANoOpThatSaysSo) {
  BuildWriter writer(*db_);
  auto first = writer.Write(DebianRecord("aa"));
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = writer.Write(DebianRecord("aa"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->already_present);
  EXPECT_EQ(again->build, first->build);
  EXPECT_EQ(again->lineage, first->lineage);
  EXPECT_EQ(again->counts.kfunc_rows, 3);
  EXPECT_EQ(again->counts.distinct_kfuncs, 2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM builds"), 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM build_kfuncs"), 3);
  EXPECT_FALSE(db_->in_transaction());
}

TEST_F(BuildWriterTest, UnknownFlagsAreStoredAsNullNeverZero) {
  BuildRecord record;
  record.set_kernel_release("6.18.44");
  record.set_release("6.18");
  record.set_arch("amd64");
  record.set_content_sha256("bb");
  record.set_flags_known(false);
  AddKfunc(record, "bpf_cast_to_kern_ctx", std::nullopt, "void *bpf_cast_to_kern_ctx(void *obj)");
  auto result = BuildWriter(*db_).Write(record);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->lineage, "mainline");
  EXPECT_EQ(Scalar("SELECT count(*) FROM build_kfuncs WHERE flags IS NULL AND set_flags IS NULL"
                   " AND set_name_id IS NULL AND source = 'decl_tag'"),
            1);
  EXPECT_EQ(Scalar("SELECT flags_known FROM builds"), 0);
}

TEST_F(BuildWriterTest, LineageComesFromTheRecordOrTheIdentity) {
  BuildWriter writer(*db_);
  auto debian = writer.Write(DebianRecord("aa"));
  ASSERT_TRUE(debian.ok()) << debian.status();
  EXPECT_EQ(debian->lineage, "debian-6.1");
  EXPECT_EQ(Text("SELECT kind FROM lineages WHERE name = 'debian-6.1'"), "distribution");

  BuildRecord example = DebianRecord("cc");
  example.set_lineage("example");
  auto placed = writer.Write(example);
  ASSERT_TRUE(placed.ok()) << placed.status();
  EXPECT_EQ(placed->lineage, "example");
  EXPECT_EQ(Text("SELECT l.kind FROM builds b JOIN lineages l ON l.id = b.lineage_id"
                 " WHERE b.content_sha256 = 'cc'"),
            "example");

  BuildRecord bad = DebianRecord("dd");
  bad.set_lineage("no spaces allowed");
  EXPECT_EQ(writer.Write(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BuildWriterTest, MissingIdentityIsRefusedNamingTheInput) {
  BuildRecord record = DebianRecord("aa");
  record.clear_release();
  auto result = BuildWriter(*db_).Write(record);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("linux-image.deb"));
  EXPECT_THAT(result.status().message(), HasSubstr("--release"));

  record = DebianRecord("aa");
  record.mutable_kfuncs(0)->set_source(kfuncdb::v1::KFUNC_SOURCE_UNSPECIFIED);
  EXPECT_EQ(BuildWriter(*db_).Write(record).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Scalar("SELECT count(*) FROM builds"), 0);
}

TEST_F(BuildWriterTest, FailureHalfwayLeavesNothingBehind) {
  BuildRecord record = DebianRecord("aa");
  // Two modules of one name violate build_modules' key after every kfunc
  // row and interned name has been inserted.
  *record.add_modules() = record.modules(0);
  auto result = BuildWriter(*db_).Write(record);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("nf_nat"));
  EXPECT_FALSE(db_->in_transaction());
  for (const char* table : {"builds", "build_kfuncs", "build_modules", "build_diagnostics",
                            "names", "prototypes"}) {
    EXPECT_EQ(Scalar(std::string("SELECT count(*) FROM ") + table), 0) << table;
  }
  EXPECT_EQ(Scalar("SELECT count(*) FROM lineages"), 1);  // only the seeded mainline
}

TEST_F(BuildWriterTest, LockedDatabaseIsUnavailableAndWritesNothing) {
  auto holder = sqlite::Database::Open(dir_ / "k.db", sqlite::OpenMode::kReadWrite);
  ASSERT_TRUE(holder.ok());
  auto held = sqlite::Transaction::Begin(*holder);
  ASSERT_TRUE(held.ok());

  auto locked = sqlite::Database::Open(dir_ / "k.db", sqlite::OpenMode::kReadWrite,
                                       {std::chrono::milliseconds(20)});
  ASSERT_TRUE(locked.ok());
  auto result = BuildWriter(*locked).Write(DebianRecord("aa"));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(result.status().message(), HasSubstr("database is locked"));
  held = absl::CancelledError("release the lock");  // rolls back the holder
  EXPECT_EQ(Scalar("SELECT count(*) FROM builds"), 0);
}

TEST_F(BuildWriterTest, SecondBuildReusesNamesAndPrototypes) {
  BuildWriter writer(*db_);
  ASSERT_TRUE(writer.Write(DebianRecord("aa")).ok());
  int64_t names = Scalar("SELECT count(*) FROM names");
  BuildRecord arm = DebianRecord("ee");
  arm.set_arch("arm64");
  arm.set_kernel_release("6.1.0-56-cloud-arm64");
  arm.set_flavour("cloud-arm64");
  ASSERT_TRUE(writer.Write(arm).ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM builds"), 2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM names"), names);
  EXPECT_EQ(Scalar("SELECT count(*) FROM prototypes"), 2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM build_kfuncs"), 6);
}

}  // namespace
}  // namespace kfuncdb::store
