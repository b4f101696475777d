// Disk trouble during ingest, on a small tmpfs mounted by the test (it needs
// CAP_SYS_ADMIN, as root in CI; without it the tests skip and say so):
//  - the disk is full before kfuncdb-ingest starts: it fails with exit
//    status 3 (store failed) and a message that says so, the store keeps
//    the builds it had, intact, and once space is freed a new run completes;
//  - the disk fills up in the middle of a run, while a build's transaction
//    writes (SQLITE_FULL): the same, and every build stored is complete,
//    with its lifecycle rows; the rerun completes the set with the same
//    lifecycle as a store that never saw trouble;
//  - the database's file system is read-only: the same, and the store is
//    untouched.
// Without a tmpfs, a file size limit (RLIMIT_FSIZE) on the ingest process
// cuts a build's transaction the same way (a write error instead of a full
// disk); that case runs wherever the tests run.
// (Permission bits cannot stand in for a read-only disk: root ignores them.)
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "tests/robustness/robustness_support.h"
#include "tests/support/test_support.h"

namespace kfuncdb::robustness {
namespace {

constexpr int kExitStoreFailed = 3;

// The last line a run printed: kfuncdb-ingest's error, after its summary.
std::string LastLine(std::string_view text) {
  while (text.ends_with('\n')) text.remove_suffix(1);
  size_t newline = text.rfind('\n');
  return std::string(newline == std::string_view::npos ? text : text.substr(newline + 1));
}

// A store of the same builds that never saw trouble, to judge a run that
// stopped in the middle by.
struct Reference {
  // WAL bytes one build's transaction writes (the third build, over two).
  uintmax_t one_build_wal = 0;
  std::map<std::string, std::string> shapes;  // BuildShapes
  std::vector<std::string> lifecycle;
};

// Stores `builds` into `db` (on the scratch disk) in three runs: the first
// two builds, the third alone, the others. While the third is stored, a
// connection held open keeps kfuncdb-ingest from checkpointing and
// removing the WAL at exit: its size is what that build's transaction
// writes, as the first build of a run over the same two builds will.
void StoreReference(const std::filesystem::path& db, const std::vector<std::filesystem::path>& builds,
                    Reference* reference) {
  ASSERT_GT(builds.size(), 3u);
  auto store = [&](std::vector<std::filesystem::path> some) {
    testing::ProcessOutput run = testing::RunProcess(IngestArgv(db, some), db.parent_path());
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  };
  ASSERT_NO_FATAL_FAILURE(store({builds[0], builds[1]}));
  {
    SqliteFile holder(db);
    ASSERT_TRUE(holder.ok()) << holder.error();
    ASSERT_EQ(holder.Int("SELECT count(*) FROM builds"), 2);  // the read keeps a shared lock
    ASSERT_NO_FATAL_FAILURE(store({builds[2]}));
    std::error_code error;
    reference->one_build_wal = std::filesystem::file_size(db.string() + "-wal", error);
    ASSERT_GT(reference->one_build_wal, 0u) << "no WAL left to measure: " << error.message();
  }
  ASSERT_NO_FATAL_FAILURE(store({builds.begin() + 3, builds.end()}));
  SqliteFile done(db);
  ASSERT_TRUE(done.ok()) << done.error();
  reference->shapes = BuildShapes(done);
  reference->lifecycle = Lifecycle(done);
  ASSERT_EQ(reference->shapes.size(), builds.size());
}

// After a run that stopped while writing: the store is intact and holds more
// builds than the `stored_before` it started with (the run's first build
// fit) but not all of them, each complete, lifecycle rows included.
void ExpectCompleteBuildsOnly(const std::filesystem::path& db, const Reference& reference,
                              size_t stored_before) {
  SqliteFile store(db);
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_TRUE(store.Rows("PRAGMA foreign_key_check").empty());
  const std::map<std::string, std::string> found = BuildShapes(store);
  EXPECT_GT(found.size(), stored_before);
  EXPECT_LT(found.size(), reference.shapes.size());
  for (const auto& [sha, shape] : found) {
    auto reference_shape = reference.shapes.find(sha);
    ASSERT_NE(reference_shape, reference.shapes.end()) << "unknown build " << sha;
    EXPECT_EQ(shape, reference_shape->second) << "partial build " << sha;
  }
}

// After the rerun: every build, and the lifecycle of a run without trouble.
void ExpectSameAsReference(const std::filesystem::path& db, const Reference& reference) {
  SqliteFile store(db);
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_EQ(BuildShapes(store), reference.shapes);
  EXPECT_EQ(Lifecycle(store), reference.lifecycle);
}

// Runs `argv` with every file it writes limited to `max_bytes`
// (RLIMIT_FSIZE) and SIGXFSZ ignored, so that a write past the limit fails
// with EFBIG instead of killing it. The child inherits both from this
// process, which restores its own afterwards.
testing::ProcessOutput RunWithFileSizeLimit(const std::vector<std::string>& argv,
                                            const std::filesystem::path& output_dir,
                                            rlim_t max_bytes) {
  struct sigaction ignore = {}, saved_action = {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGXFSZ, &ignore, &saved_action);
  struct rlimit saved_limit = {};
  ::getrlimit(RLIMIT_FSIZE, &saved_limit);
  struct rlimit limit = saved_limit;
  limit.rlim_cur = std::min(max_bytes, saved_limit.rlim_max);
  ::setrlimit(RLIMIT_FSIZE, &limit);
  testing::ProcessOutput run = testing::RunProcess(argv, output_dir);
  ::setrlimit(RLIMIT_FSIZE, &saved_limit);
  ::sigaction(SIGXFSZ, &saved_action, nullptr);
  return run;
}

// A 2 MiB tmpfs at <scratch>/disk, unmounted on destruction.
class SmallDisk {
 public:
  explicit SmallDisk(const std::filesystem::path& at) : path_(at) {
    std::filesystem::create_directories(path_);
    if (::mount("kfuncdb-test", path_.c_str(), "tmpfs", 0, "size=2m,mode=0755") != 0) {
      error_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (error_.empty()) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool Remount(bool read_only) {
    return ::mount("kfuncdb-test", path_.c_str(), "tmpfs",
                   MS_REMOUNT | (read_only ? MS_RDONLY : 0), "size=2m,mode=0755") == 0;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::string error_;
};

class DiskTroubleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    builds_ = WriteExampleBuilds(scratch_.path());
    ASSERT_GT(builds_.size(), 3u);
    disk_ = std::make_unique<SmallDisk>(scratch_ / "disk");
    if (!disk_->mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << disk_->error();
    db_ = disk_->path() / "k.db";
    // The first two builds, stored while there is room.
    testing::ProcessOutput run = Ingest({builds_[0], builds_[1]});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    SqliteFile store(db_);
    before_ = store.Rows("SELECT content_sha256 FROM builds ORDER BY 1");
    ASSERT_EQ(before_.size(), 2u);
  }

  testing::ProcessOutput Ingest(const std::vector<std::filesystem::path>& builds) {
    return testing::RunProcess(IngestArgv(db_, builds), scratch_.path());
  }

  // Fills the disk with <disk>/filler, then gives back `free_bytes` of it.
  std::filesystem::path FillDiskLeaving(uintmax_t free_bytes) {
    const std::filesystem::path filler = disk_->path() / "filler";
    {
      std::ofstream out(filler, std::ios::binary);
      std::string block(4096, 'x');
      while (out.write(block.data(), block.size()) && out.flush()) {
      }
    }
    const uintmax_t filled = std::filesystem::file_size(filler);
    std::filesystem::resize_file(filler, filled > free_bytes ? filled - free_bytes : 0);
    return filler;
  }

  std::vector<std::filesystem::path> Rest() const {
    return std::vector<std::filesystem::path>(builds_.begin() + 2, builds_.end());
  }

  // integrity_check ok and exactly the builds stored before the trouble.
  void ExpectStoreAsBefore() {
    SqliteFile store(db_);
    ASSERT_TRUE(store.ok()) << store.error();
    EXPECT_EQ(store.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    EXPECT_EQ(store.Rows("SELECT content_sha256 FROM builds ORDER BY 1"), before_);
  }

  testing::ScratchDir scratch_;
  std::vector<std::filesystem::path> builds_;
  std::unique_ptr<SmallDisk> disk_;
  std::filesystem::path db_;
  std::vector<std::string> before_;
};

TEST_F(DiskTroubleTest, FullDiskFailsClearlyAndKeepsTheStore) {
  const std::filesystem::path filler = FillDiskLeaving(0);
  testing::ProcessOutput full = Ingest(Rest());
  const std::string said = full.out + full.err;
  std::printf("disk: full disk: exit %d: %s\n", full.exit_code, LastLine(said).c_str());
  EXPECT_EQ(full.exit_code, kExitStoreFailed) << said;
  EXPECT_TRUE(said.find("full") != std::string::npos ||
              said.find("No space left on device") != std::string::npos)
      << said;
  // In WAL mode even reading needs room for the -shm file: check after
  // freeing the space.
  std::filesystem::remove(filler);
  ExpectStoreAsBefore();

  testing::ProcessOutput again = Ingest(Rest());
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  SqliteFile store(db_);
  EXPECT_EQ(store.Int("SELECT count(*) FROM builds"), static_cast<int64_t>(builds_.size()));
  EXPECT_EQ(store.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

// The store opens fine and holds two builds; the disk fills up while the
// run writes the next ones, one transaction each: the space left holds the
// WAL index, one build's transaction and half of the next.
TEST_F(DiskTroubleTest, DiskFillingUpDuringABuildsTransactionKeepsCompleteBuildsOnly) {
  Reference reference;
  ASSERT_NO_FATAL_FAILURE(StoreReference(scratch_ / "reference.db", builds_, &reference));

  constexpr uintmax_t kWalIndexBytes = 32 << 10;  // the -shm file
  const std::filesystem::path filler =
      FillDiskLeaving(kWalIndexBytes + reference.one_build_wal * 3 / 2);
  testing::ProcessOutput full = Ingest(Rest());
  const std::string said = full.out + full.err;
  std::printf("disk: disk fills during a build's transaction (%ju bytes of WAL per build): exit %d: %s\n",
              reference.one_build_wal, full.exit_code, LastLine(said).c_str());
  EXPECT_EQ(full.exit_code, kExitStoreFailed) << said;
  // A write of a build's transaction failed, not the open: the run stopped
  // after builds were written, the message names the database, and the
  // code is SQLITE_FULL (13), which SQLite returns when a write finds no
  // space (a disk already full fails at open with an I/O error instead).
  EXPECT_NE(said.find("builds not written: " + db_.string() + ": "), std::string::npos) << said;
  EXPECT_NE(said.find("disk is full (sqlite code 13)"), std::string::npos) << said;

  std::filesystem::remove(filler);
  ExpectCompleteBuildsOnly(db_, reference, /*stored_before=*/2);
  testing::ProcessOutput again = Ingest(Rest());
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  ExpectSameAsReference(db_, reference);
}

TEST_F(DiskTroubleTest, ReadOnlyDatabaseFailsClearlyAndKeepsTheStore) {
  ASSERT_TRUE(disk_->Remount(/*read_only=*/true)) << std::strerror(errno);
  testing::ProcessOutput read_only = Ingest(Rest());
  std::printf("disk: read-only file system: exit %d: %s\n", read_only.exit_code,
              LastLine(read_only.out + read_only.err).c_str());
  EXPECT_EQ(read_only.exit_code, kExitStoreFailed) << read_only.out << read_only.err;
  EXPECT_NE((read_only.out + read_only.err).find("read-only"), std::string::npos)
      << read_only.out << read_only.err;
  ASSERT_TRUE(disk_->Remount(/*read_only=*/false)) << std::strerror(errno);
  ExpectStoreAsBefore();
}


// The same cut without a tmpfs (runs where mounting is not permitted): the
// ingest process may not write past a file size that holds the WAL of one
// build and a half, so a write of the second build's transaction fails
// (EFBIG: an I/O error, not a full disk). Same checks otherwise.
TEST(FileSizeLimitTest, WriteFailingDuringABuildsTransactionKeepsCompleteBuildsOnly) {
  testing::ScratchDir scratch;
  const std::vector<std::filesystem::path> builds = WriteExampleBuilds(scratch.path());
  ASSERT_GT(builds.size(), 3u);
  Reference reference;
  ASSERT_NO_FATAL_FAILURE(StoreReference(scratch / "reference.db", builds, &reference));
  const std::filesystem::path db = scratch / "k.db";
  testing::ProcessOutput first = testing::RunProcess(IngestArgv(db, {builds[0], builds[1]}), scratch.path());
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const std::vector<std::filesystem::path> rest(builds.begin() + 2, builds.end());

  testing::ProcessOutput cut =
      RunWithFileSizeLimit(IngestArgv(db, rest), scratch.path(), reference.one_build_wal * 3 / 2);
  const std::string said = cut.out + cut.err;
  std::printf("disk: file size limit during a build's transaction: exit %d: %s\n", cut.exit_code,
              LastLine(said).c_str());
  EXPECT_EQ(cut.exit_code, kExitStoreFailed) << said;
  EXPECT_NE(said.find("builds not written: " + db.string() + ": "), std::string::npos) << said;
  // SQLITE_IOERR_WRITE (778): a write failed, not the open.
  EXPECT_NE(said.find("disk I/O error (sqlite code 778)"), std::string::npos) << said;

  ExpectCompleteBuildsOnly(db, reference, /*stored_before=*/2);
  testing::ProcessOutput again = testing::RunProcess(IngestArgv(db, rest), scratch.path());
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  ExpectSameAsReference(db, reference);
}

}  // namespace
}  // namespace kfuncdb::robustness
