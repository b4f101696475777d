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
// (Permission bits cannot stand in for a read-only disk: root ignores them.)
#include <sys/mount.h>

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
  const std::vector<std::filesystem::path> rest = Rest();

  // The reference: the same builds stored on the scratch disk, in three runs
  // (the first two builds, the third alone, the others). While the third is
  // stored, a connection held open keeps kfuncdb-ingest from checkpointing
  // and removing the WAL at exit: its size is what that build's
  // transaction writes, as the first build of the run below will.
  const std::filesystem::path reference_db = scratch_ / "reference.db";
  auto store_in_reference = [&](const std::vector<std::filesystem::path>& builds) {
    testing::ProcessOutput run = testing::RunProcess(IngestArgv(reference_db, builds), scratch_.path());
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  };
  store_in_reference({builds_[0], builds_[1]});
  uintmax_t one_build_wal = 0;
  {
    SqliteFile holder(reference_db);
    ASSERT_TRUE(holder.ok()) << holder.error();
    ASSERT_EQ(holder.Int("SELECT count(*) FROM builds"), 2);  // the read keeps a shared lock
    store_in_reference({rest[0]});
    std::error_code error;
    one_build_wal = std::filesystem::file_size(reference_db.string() + "-wal", error);
    ASSERT_GT(one_build_wal, 0u) << "no WAL left to measure: " << error.message();
  }
  store_in_reference({rest.begin() + 1, rest.end()});
  SqliteFile reference(reference_db);
  ASSERT_TRUE(reference.ok()) << reference.error();
  const std::map<std::string, std::string> expected = BuildShapes(reference);
  const std::vector<std::string> expected_lifecycle = Lifecycle(reference);
  ASSERT_EQ(expected.size(), builds_.size());

  constexpr uintmax_t kWalIndexBytes = 32 << 10;  // the -shm file
  const std::filesystem::path filler = FillDiskLeaving(kWalIndexBytes + one_build_wal * 3 / 2);
  testing::ProcessOutput full = Ingest(rest);
  const std::string said = full.out + full.err;
  std::printf("disk: disk fills during a build's transaction (%ju bytes of WAL per build): exit %d: %s\n",
              one_build_wal, full.exit_code, LastLine(said).c_str());
  EXPECT_EQ(full.exit_code, kExitStoreFailed) << said;
  // A write of a build's transaction failed, not the open: the run stopped
  // after builds were written, the message names the database, and the
  // code is SQLITE_FULL (13), which SQLite returns when a write finds no
  // space (a disk already full fails at open with an I/O error instead).
  EXPECT_NE(said.find("builds not written: " + db_.string() + ": "), std::string::npos) << said;
  EXPECT_NE(said.find("disk is full (sqlite code 13)"), std::string::npos) << said;

  std::filesystem::remove(filler);
  {
    SqliteFile store(db_);
    ASSERT_TRUE(store.ok()) << store.error();
    EXPECT_EQ(store.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    EXPECT_TRUE(store.Rows("PRAGMA foreign_key_check").empty());
    const std::map<std::string, std::string> found = BuildShapes(store);
    // The run's first build fit; the disk filled up during a later one.
    EXPECT_GT(found.size(), 2u);
    EXPECT_LT(found.size(), builds_.size());
    for (const auto& [sha, shape] : found) {
      auto reference_shape = expected.find(sha);
      ASSERT_NE(reference_shape, expected.end()) << "unknown build " << sha;
      EXPECT_EQ(shape, reference_shape->second) << "partial build " << sha;
    }
  }

  testing::ProcessOutput again = Ingest(rest);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  SqliteFile store(db_);
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_EQ(BuildShapes(store), expected);
  EXPECT_EQ(Lifecycle(store), expected_lifecycle);
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

}  // namespace
}  // namespace kfuncdb::robustness
