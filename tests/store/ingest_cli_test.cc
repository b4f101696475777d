// kfuncdb-ingest end to end: the real binary on generated fixtures and on
// the corpus packages, checked through our own queries on the SQLite file
// it writes. Covers the batch mode, inspect --json, the worker (--watch)
// and the failures that must be clean: bad inputs, a locked or unusable
// database, a missing release.
#include <signal.h>

#include <chrono>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/sqlite/database.h"
#include "common/sqlite/transaction.h"
#include "tests/fixtures/kernel_fixture.h"
#include "tests/store/child_process.h"
#include "tests/support/test_support.h"

namespace kfuncdb {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testing::ProcessOutput;
using testing::RunProcess;
using testing::ScratchDir;

const std::string kIngest = KFUNCDB_INGEST_BINARY;

fixtures::VmlinuxSpec FixtureSpec(const std::string& kernel_release) {
  fixtures::VmlinuxSpec spec;
  spec.kernel_release = kernel_release;
  spec.sets = {{"generic_btf_ids", 0}, {"bpf_test_ids", 0}};
  spec.kfuncs = {
      {.name = "bpf_task_acquire", .set = "generic_btf_ids", .flags = 0x85,
       .return_type = "struct task_struct *", .params = {{"struct task_struct *", "p"}}},
      {.name = "bpf_task_release", .set = "generic_btf_ids", .flags = 0x2,
       .return_type = "void", .params = {{"struct task_struct *", "p"}}},
      {.name = "bpf_stable_counter", .set = "bpf_test_ids", .flags = (1u << 30) | 0x20,
       .return_type = "u64", .params = {{"u32", "cpu"}}},
  };
  return spec;
}

std::filesystem::path WriteVmlinux(const std::filesystem::path& path,
                                   const std::string& kernel_release) {
  absl::StatusOr<std::string> elf = fixtures::BuildVmlinuxElf(FixtureSpec(kernel_release));
  EXPECT_TRUE(elf.ok()) << elf.status();
  testing::WriteFileOrFail(path, elf.value_or(""));
  return path;
}

// Reads the store the binary wrote, read-only, as the server would.
class StoreReader {
 public:
  explicit StoreReader(const std::filesystem::path& db) {
    auto opened = sqlite::Database::Open(db, sqlite::OpenMode::kReadOnly);
    EXPECT_TRUE(opened.ok()) << opened.status();
    if (opened.ok()) db_.emplace(std::move(opened).value());
  }
  int64_t Scalar(const std::string& sql) {
    if (!db_) return -1;
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status();
    if (!stmt.ok()) return -1;
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return stmt->ColumnInt64(0);
  }
  std::vector<std::string> Column(const std::string& sql) {
    std::vector<std::string> values;
    if (!db_) return values;
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status();
    while (stmt.ok()) {
      auto row = stmt->Step();
      if (!row.ok() || !*row) break;
      values.push_back(stmt->ColumnIsNull(0) ? "NULL" : stmt->ColumnString(0));
    }
    return values;
  }

 private:
  std::optional<sqlite::Database> db_;
};

TEST(IngestCliTest, IngestsAFixtureAndASecondRunIsANoOp) {
  ScratchDir dir;
  auto vmlinux = WriteVmlinux(dir / "vmlinux", "6.1.0-1-amd64");
  ProcessOutput first = RunProcess({kIngest, "--db", (dir / "k.db").string(), vmlinux}, dir.path());
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("builds ingested: 1"));
  EXPECT_THAT(first.out, HasSubstr("kfuncs:          3"));
  EXPECT_THAT(first.out, HasSubstr("failed:          0"));

  {
    StoreReader store(dir / "k.db");
    EXPECT_EQ(store.Scalar("SELECT count(*) FROM builds WHERE kernel_release = '6.1.0-1-amd64'"
                           " AND release = '6.1' AND arch = 'amd64' AND flags_known = 1"),
              1);
    EXPECT_THAT(store.Column("SELECT n.name || ' ' || s.name || ' ' || k.flags || ' ' || k.source"
                             " FROM build_kfuncs k JOIN names n ON n.id = k.kfunc_name_id"
                             " JOIN names s ON s.id = k.set_name_id"),
                UnorderedElementsAre("bpf_task_acquire generic_btf_ids 133 set_symbol",
                                     "bpf_task_release generic_btf_ids 2 set_symbol",
                                     "bpf_stable_counter bpf_test_ids 1073741856 set_symbol"));
    EXPECT_THAT(store.Column("SELECT p.prototype FROM build_kfuncs k"
                             " JOIN prototypes p ON p.id = k.prototype_id"
                             " JOIN names n ON n.id = k.kfunc_name_id"
                             " WHERE n.name = 'bpf_task_acquire'"),
                UnorderedElementsAre("struct task_struct *bpf_task_acquire(struct task_struct *p)"));
  }

  ProcessOutput second = RunProcess({kIngest, "--db", (dir / "k.db").string(), vmlinux}, dir.path());
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_THAT(second.out, HasSubstr("builds ingested: 0"));
  EXPECT_THAT(second.out, HasSubstr("already present: 1"));
  StoreReader store(dir / "k.db");
  EXPECT_EQ(store.Scalar("SELECT count(*) FROM builds"), 1);
  EXPECT_EQ(store.Scalar("SELECT count(*) FROM build_kfuncs"), 3);
}

TEST(IngestCliTest, FailedInputIsNamedAndTheOthersAreIngested) {
  ScratchDir dir;
  auto good = WriteVmlinux(dir / "vmlinux-good", "6.2.0-1-amd64");
  testing::WriteFileOrFail(dir / "notes.txt", "not a kernel at all\n");
  // An ELF kernel of another release cut short: recognised by its magic
  // (and banner), unreadable after.
  auto whole = WriteVmlinux(dir / "vmlinux-whole", "6.3.0-1-amd64");
  testing::WriteFileOrFail(dir / "vmlinux-truncated", testing::ReadFileOrFail(whole).substr(0, 4096));

  ProcessOutput run = RunProcess({kIngest, "--db", (dir / "k.db").string(),
                                  (dir / "notes.txt").string(), good.string(),
                                  (dir / "vmlinux-truncated").string()},
                                 dir.path());
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("builds ingested: 1"));
  EXPECT_THAT(run.out, HasSubstr("failed:          2"));
  EXPECT_THAT(run.out, HasSubstr((dir / "notes.txt").string()));
  EXPECT_THAT(run.out, HasSubstr((dir / "vmlinux-truncated").string()));
  StoreReader store(dir / "k.db");
  EXPECT_THAT(store.Column("SELECT kernel_release FROM builds"),
              UnorderedElementsAre("6.2.0-1-amd64"));
}

TEST(IngestCliTest, RawBtfNeedsAReleaseAndKeepsFlagsUnknown) {
  ScratchDir dir;
  absl::StatusOr<std::string> btf = fixtures::BuildRawBtf(FixtureSpec("6.3.0-1-amd64"));
  ASSERT_TRUE(btf.ok()) << btf.status();
  testing::WriteFileOrFail(dir / "vmlinux.btf", *btf);
  std::string db = (dir / "k.db").string();

  ProcessOutput missing = RunProcess({kIngest, "--db", db, (dir / "vmlinux.btf").string()}, dir.path());
  EXPECT_EQ(missing.exit_code, 1) << missing.out << missing.err;
  EXPECT_THAT(missing.out, HasSubstr("vmlinux.btf"));
  EXPECT_THAT(missing.out, HasSubstr("--release"));

  // --release/--arch fill in the raw BTF's identity only: the vmlinux
  // given with it keeps the release of its banner and its ELF arch.
  auto vmlinux = WriteVmlinux(dir / "vmlinux", "6.2.0-1-amd64");
  ProcessOutput given = RunProcess({kIngest, "--db", db, "--release", "6.3.7", "--arch", "arm64",
                                    (dir / "vmlinux.btf").string(), vmlinux.string()},
                                   dir.path());
  ASSERT_EQ(given.exit_code, 0) << given.out << given.err;
  StoreReader store(dir / "k.db");
  EXPECT_THAT(store.Column("SELECT kernel_release || ' ' || arch FROM builds"),
              UnorderedElementsAre("6.3.7 arm64", "6.2.0-1-amd64 amd64"));
  EXPECT_EQ(store.Scalar("SELECT count(*) FROM builds WHERE release = '6.3' AND arch = 'arm64'"
                         " AND flags_known = 0"),
            1);
  EXPECT_EQ(store.Scalar("SELECT count(*) FROM build_kfuncs k JOIN builds b ON b.id = k.build_id"
                         " WHERE b.flags_known = 0 AND k.flags IS NULL"),
            3);
  EXPECT_EQ(store.Scalar("SELECT count(*) FROM build_kfuncs k JOIN builds b ON b.id = k.build_id"
                         " WHERE b.flags_known = 0 AND k.flags IS NOT NULL"),
            0);
}

TEST(IngestCliTest, LockedDatabaseFailsCleanlyAndWritesNothing) {
  ScratchDir dir;
  auto vmlinux = WriteVmlinux(dir / "vmlinux", "6.1.0-1-amd64");
  std::string db = (dir / "k.db").string();
  // Create the schema first, so the lock is met at the build's transaction.
  ProcessOutput empty = RunProcess({kIngest, "--db", db, (dir / "nothing").string()}, dir.path());
  ASSERT_EQ(empty.exit_code, 1) << empty.err;

  auto holder = sqlite::Database::Open(db, sqlite::OpenMode::kReadWrite);
  ASSERT_TRUE(holder.ok()) << holder.status();
  auto lock = sqlite::Transaction::Begin(*holder);
  ASSERT_TRUE(lock.ok()) << lock.status();
  ProcessOutput locked =
      RunProcess({kIngest, "--db", db, "--busy-timeout-ms", "100", vmlinux}, dir.path());
  EXPECT_EQ(locked.exit_code, 3) << locked.out << locked.err;
  EXPECT_THAT(locked.err, HasSubstr("database is locked"));
  EXPECT_THAT(locked.err, HasSubstr(db));
  lock = absl::CancelledError("drop the lock");

  StoreReader store(db);
  EXPECT_EQ(store.Scalar("SELECT count(*) FROM builds"), 0);
  EXPECT_EQ(store.Scalar("SELECT count(*) FROM names"), 0);
}

TEST(IngestCliTest, UnusableDatabasePathIsNamed) {
  ScratchDir dir;
  auto vmlinux = WriteVmlinux(dir / "vmlinux", "6.1.0-1-amd64");
  testing::WriteFileOrFail(dir / "plain", "a file, not a folder");
  std::string under_file = (dir / "plain" / "k.db").string();
  ProcessOutput run = RunProcess({kIngest, "--db", under_file, vmlinux}, dir.path());
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_THAT(run.err, HasSubstr(under_file));

  testing::WriteFileOrFail(dir / "junk.db", std::string(8192, 'j'));
  ProcessOutput junk = RunProcess({kIngest, "--db", (dir / "junk.db").string(), vmlinux}, dir.path());
  EXPECT_EQ(junk.exit_code, 3) << junk.out << junk.err;
  EXPECT_THAT(junk.err, HasSubstr("junk.db"));
}

TEST(IngestCliTest, UsageErrorsExitWithTwo) {
  ScratchDir dir;
  EXPECT_EQ(RunProcess({kIngest, "vmlinux"}, dir.path()).exit_code, 2);  // no --db
  EXPECT_EQ(RunProcess({kIngest, "--db", (dir / "k.db").string()}, dir.path()).exit_code, 2);
  EXPECT_EQ(RunProcess({kIngest, "--no-such-flag"}, dir.path()).exit_code, 2);
}

TEST(IngestCliTest, InspectJsonHasTheDocumentedKeys) {
  ScratchDir dir;
  // 6.6: KF_RCU (bit 7, from 6.2) has its name.
  auto vmlinux = WriteVmlinux(dir / "vmlinux", "6.6.0-1-amd64");
  ProcessOutput run = RunProcess({kIngest, "inspect", "--json", vmlinux}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json build = nlohmann::json::parse(run.out);
  for (const char* key : {"kernel_release", "release", "arch", "flags_known", "kfuncs"}) {
    EXPECT_TRUE(build.contains(key)) << key;
  }
  EXPECT_EQ(build["kernel_release"], "6.6.0-1-amd64");
  EXPECT_EQ(build["release"], "6.6");
  EXPECT_EQ(build["arch"], "amd64");
  EXPECT_EQ(build["flags_known"], true);
  ASSERT_EQ(build["kfuncs"].size(), 3u);
  for (const nlohmann::json& kfunc : build["kfuncs"]) {
    for (const char* key : {"name", "set", "owner", "flags", "flag_names", "prototype", "decl_tags"}) {
      EXPECT_TRUE(kfunc.contains(key)) << key;
    }
    EXPECT_TRUE(kfunc["set"].is_string());
    EXPECT_TRUE(kfunc["flags"].is_number_integer());
    EXPECT_EQ(kfunc["owner"], "vmlinux");
    if (kfunc["name"] == "bpf_task_acquire") {
      EXPECT_EQ(kfunc["flags"], 0x85);
      EXPECT_EQ(kfunc["flag_names"],
                nlohmann::json({"KF_ACQUIRE", "KF_RET_NULL", "KF_RCU"}));
    }
    if (kfunc["name"] == "bpf_stable_counter") {
      EXPECT_EQ(kfunc["stable"], true);
    }
  }

  // Raw BTF: flags unknown are null, never 0; set is null.
  absl::StatusOr<std::string> btf = fixtures::BuildRawBtf(FixtureSpec("6.3.0-1-amd64"));
  ASSERT_TRUE(btf.ok());
  testing::WriteFileOrFail(dir / "vmlinux.btf", *btf);
  ProcessOutput raw = RunProcess(
      {kIngest, "inspect", "--json", "--release", "6.3.7", (dir / "vmlinux.btf").string()},
      dir.path());
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  nlohmann::json raw_build = nlohmann::json::parse(raw.out);
  EXPECT_EQ(raw_build["flags_known"], false);
  for (const nlohmann::json& kfunc : raw_build["kfuncs"]) {
    EXPECT_TRUE(kfunc["flags"].is_null());
    EXPECT_TRUE(kfunc["set"].is_null());
  }
}

TEST(IngestCliTest, InspectTableNamesEveryKfuncAndFailsOnBadInput) {
  ScratchDir dir;
  auto vmlinux = WriteVmlinux(dir / "vmlinux", "6.1.0-1-amd64");
  ProcessOutput run = RunProcess({kIngest, "inspect", vmlinux}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("6.1.0-1-amd64"));
  EXPECT_THAT(run.out, HasSubstr("bpf_task_release"));
  // Flag names follow the build's release: bit 7 is KF_RCU only from 6.2.
  EXPECT_THAT(run.out, HasSubstr("0x85 KF_ACQUIRE|KF_RET_NULL|bit7"));

  testing::WriteFileOrFail(dir / "junk", "junk");
  ProcessOutput bad = RunProcess({kIngest, "inspect", (dir / "junk").string()}, dir.path());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr((dir / "junk").string()));
}

// The corpus packages are ingested once for the suite (decompressing them
// is the expensive part), in one run that must group the three split 7.2
// packages into one build.
class IngestCorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::vector<std::string> packages = {
        "linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb",
        "linux-image-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb",
        "linux-binary-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb",
        "linux-modules-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb",
    };
    std::vector<std::string> argv = {kIngest, "--db", "", "--jobs", "2"};
    for (const std::string& package : packages) {
      auto path = testing::CorpusFile(package);
      if (!path) {
        missing_ = new std::string((testing::CorpusDir() / package).string());
        return;
      }
      argv.push_back(path->string());
    }
    dir_ = new ScratchDir();
    argv[2] = (dir_->path() / "corpus.db").string();
    run_ = new ProcessOutput(RunProcess(argv, dir_->path()));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete dir_;
    delete missing_;
    run_ = nullptr;
    dir_ = nullptr;
    missing_ = nullptr;
  }
  void SetUp() override {
    if (missing_ != nullptr) GTEST_SKIP() << "corpus file missing: " << *missing_;
  }

  static ScratchDir* dir_;
  static ProcessOutput* run_;
  static std::string* missing_;
};
ScratchDir* IngestCorpusTest::dir_ = nullptr;
ProcessOutput* IngestCorpusTest::run_ = nullptr;
std::string* IngestCorpusTest::missing_ = nullptr;

TEST_F(IngestCorpusTest, PackagesBecomeTwoBuildsWithTheirIdentity) {
  ASSERT_EQ(run_->exit_code, 0) << run_->out << run_->err;
  EXPECT_THAT(run_->out, HasSubstr("builds ingested: 2"));
  StoreReader store(dir_->path() / "corpus.db");
  EXPECT_THAT(store.Column("SELECT kernel_release || ' ' || release || ' ' || arch || ' ' ||"
                           " flavour || ' ' || distribution || ' ' || package_version FROM builds"),
              UnorderedElementsAre("6.1.0-56-cloud-amd64 6.1 amd64 cloud-amd64 debian 6.1.192-2",
                                   "7.2.13+deb14-cloud-amd64 7.2 amd64 cloud-amd64 debian 7.2.13-1"));
}

TEST_F(IngestCorpusTest, KfuncsAndModulesAreStoredPerBuild) {
  ASSERT_EQ(run_->exit_code, 0) << run_->out << run_->err;
  StoreReader store(dir_->path() / "corpus.db");
  auto vmlinux_pairs = [&](const std::string& release, bool distinct) {
    return store.Scalar(std::string("SELECT count(") + (distinct ? "DISTINCT k.kfunc_name_id" : "*") +
                        ") FROM build_kfuncs k JOIN builds b ON b.id = k.build_id"
                        " JOIN names o ON o.id = k.owner_name_id"
                        " WHERE o.name = 'vmlinux' AND b.kernel_release = '" + release + "'");
  };
  EXPECT_EQ(vmlinux_pairs("6.1.0-56-cloud-amd64", false), 42);
  EXPECT_EQ(vmlinux_pairs("7.2.13+deb14-cloud-amd64", false), 334);
  EXPECT_EQ(vmlinux_pairs("7.2.13+deb14-cloud-amd64", true), 301);
  EXPECT_THAT(store.Column("SELECT DISTINCT o.name FROM build_kfuncs k"
                           " JOIN builds b ON b.id = k.build_id"
                           " JOIN names o ON o.id = k.owner_name_id"
                           " WHERE b.kernel_release = '6.1.0-56-cloud-amd64' AND o.name != 'vmlinux'"),
              UnorderedElementsAre("nf_conntrack", "nf_nat", "tcp_bbr", "tcp_dctcp"));
  EXPECT_EQ(store.Scalar("SELECT count(*) FROM build_modules m JOIN builds b ON b.id = m.build_id"
                         " WHERE b.kernel_release = '7.2.13+deb14-cloud-amd64'"),
            7);
  // 6.1 kernels have no decl tags; flags are read from .BTF_ids.
  EXPECT_EQ(store.Scalar("SELECT k.flags FROM build_kfuncs k JOIN names n ON n.id = k.kfunc_name_id"
                         " JOIN builds b ON b.id = k.build_id"
                         " WHERE n.name = 'bpf_lookup_user_key'"
                         " AND b.kernel_release = '6.1.0-56-cloud-amd64'"),
            0x25);
}

// The worker: files already in the folder, then files landing while it
// runs (renamed in, and written in place), one of them corrupt.
// Builds in the store a watch worker writes; 0 while it cannot be read yet.
int64_t BuildsStored(const std::string& db) {
  auto reader = sqlite::Database::Open(db, sqlite::OpenMode::kReadOnly);
  if (!reader.ok()) return 0;
  auto stmt = reader->Prepare("SELECT count(*) FROM builds");
  if (!stmt.ok() || !stmt->Step().value_or(false)) return 0;
  return stmt->ColumnInt64(0);
}

// Waits (at most a minute) for a condition the worker brings about; false
// when the worker died or the time ran out.
template <typename Condition>
bool Eventually(testing::ChildProcess& worker, Condition condition) {
  for (int i = 0; i < 600 && !condition(); ++i) {
    if (!worker.Running()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return condition();
}

// Copies `file` into `spool` as a downloader would: written under a
// dot-name, then renamed in.
void Land(const std::filesystem::path& file, const std::filesystem::path& spool) {
  const std::filesystem::path part = spool / ("." + file.filename().string() + ".part");
  std::filesystem::copy_file(file, part);
  std::filesystem::rename(part, spool / file.filename());
}

TEST(IngestWatchTest, IngestsEachLandedBuildOnceAndSurvivesACorruptOne) {
  ScratchDir dir;
  std::filesystem::path spool = dir / "spool";
  std::filesystem::create_directory(spool);
  WriteVmlinux(spool / "vmlinux-6.1", "6.1.0-1-amd64");
  std::string db = (dir / "k.db").string();

  testing::ChildProcess worker({kIngest, "--db", db, "--jobs", "2", "--watch", spool.string()},
                               dir.path(), "worker");
  ASSERT_TRUE(Eventually(worker, [&] { return BuildsStored(db) == 1; })) << worker.Stderr();

  // Renamed in from a dot-name (ignored while it is being written).
  WriteVmlinux(spool / ".vmlinux-6.2.part", "6.2.0-1-amd64");
  std::filesystem::rename(spool / ".vmlinux-6.2.part", spool / "vmlinux-6.2");
  // Written in place: counts once closed.
  std::string corrupt = testing::ReadFileOrFail(spool / "vmlinux-6.1").substr(0, 3000);
  testing::WriteFileOrFail(spool / "vmlinux-corrupt", corrupt);
  WriteVmlinux(spool / "vmlinux-6.3", "6.3.0-1-amd64");

  ASSERT_TRUE(Eventually(worker, [&] {
    return BuildsStored(db) == 3 && std::filesystem::exists(spool / ".failed" / "vmlinux-corrupt.error");
  })) << worker.Stderr();
  EXPECT_TRUE(worker.Running());
  EXPECT_FALSE(std::filesystem::exists(spool / "vmlinux-corrupt"));
  EXPECT_THAT(testing::ReadFileOrFail(spool / ".failed" / "vmlinux-corrupt.error"),
              ::testing::Not(::testing::IsEmpty()));
  EXPECT_THAT(worker.Stderr(), HasSubstr("vmlinux-corrupt"));
  {
    StoreReader store(db);
    EXPECT_THAT(store.Column("SELECT kernel_release FROM builds"),
                UnorderedElementsAre("6.1.0-1-amd64", "6.2.0-1-amd64", "6.3.0-1-amd64"));
  }

  worker.Signal(SIGTERM);
  ProcessOutput exited = worker.Wait();
  EXPECT_EQ(exited.exit_code, 0) << exited.err;
}


constexpr char kImage72[] = "linux-image-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb";
constexpr char kBinary72[] = "linux-binary-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb";
constexpr char kModules72[] = "linux-modules-7.2.13+deb14-cloud-amd64_7.2.13-1_amd64.deb";

// Debian 7.x's three packages landing one by one: the kernel waits for its
// modules, and the three make one build with the modules' kfuncs.
TEST(IngestWatchTest, SplitPackagesLandingApartMakeOneBuild) {
  KFUNCDB_REQUIRE_CORPUS_FILE(image, kImage72);
  KFUNCDB_REQUIRE_CORPUS_FILE(binary, kBinary72);
  KFUNCDB_REQUIRE_CORPUS_FILE(modules, kModules72);
  ScratchDir dir;
  const std::filesystem::path spool = dir / "spool";
  std::filesystem::create_directory(spool);
  const std::string db = (dir / "k.db").string();
  testing::ChildProcess worker({kIngest, "--db", db, "--watch", spool.string()}, dir.path(), "worker");

  Land(binary, spool);
  ASSERT_TRUE(Eventually(worker, [&] {
    return worker.Stderr().find("until linux-modules-7.2.13+deb14-cloud-amd64 lands") != std::string::npos;
  })) << worker.Stderr();
  EXPECT_EQ(BuildsStored(db), 0);
  Land(image, spool);
  Land(modules, spool);
  ASSERT_TRUE(Eventually(worker, [&] { return BuildsStored(db) == 1; })) << worker.Stderr();
  {
    StoreReader store(db);
    EXPECT_THAT(store.Column("SELECT kernel_release FROM builds"),
                UnorderedElementsAre("7.2.13+deb14-cloud-amd64"));
    EXPECT_GT(store.Scalar("SELECT count(*) FROM build_modules"), 0) << "modules ingested with the kernel";
  }
  EXPECT_FALSE(std::filesystem::exists(spool / ".failed")) << worker.Stderr();
  worker.Signal(SIGTERM);
  EXPECT_EQ(worker.Wait().exit_code, 0);
}

// A part whose sibling never comes is ingested alone once --split-wait is
// over, and the worker says so.
TEST(IngestWatchTest, SplitPartWhoseSiblingNeverLandsIsIngestedAlone) {
  KFUNCDB_REQUIRE_CORPUS_FILE(binary, kBinary72);
  ScratchDir dir;
  const std::filesystem::path spool = dir / "spool";
  std::filesystem::create_directory(spool);
  const std::string db = (dir / "k.db").string();
  testing::ChildProcess worker(
      {kIngest, "--db", db, "--watch", spool.string(), "--split-wait", "1"}, dir.path(), "worker");
  Land(binary, spool);
  ASSERT_TRUE(Eventually(worker, [&] { return BuildsStored(db) == 1; })) << worker.Stderr();
  EXPECT_THAT(worker.Stderr(),
              HasSubstr("linux-modules-7.2.13+deb14-cloud-amd64 did not land within 1 s"));
  StoreReader store(db);
  EXPECT_EQ(store.Scalar("SELECT count(*) FROM build_modules"), 0);
  worker.Signal(SIGTERM);
  EXPECT_EQ(worker.Wait().exit_code, 0);
}

}  // namespace
}  // namespace kfuncdb
