// Disk trouble during ingest, on a small tmpfs mounted by the test (it needs
// CAP_SYS_ADMIN, as root in CI; without it the tests skip and say so):
//  - the disk fills up while kfuncdb-ingest writes: it fails with exit
//    status 3 (store failed) and a message that says so, the store keeps
//    the builds it had, intact, and once space is freed a new run completes;
//  - the database's file system is read-only: the same, and the store is
//    untouched.
// (Permission bits cannot stand in for a read-only disk: root ignores them.)
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/robustness/robustness_support.h"
#include "tests/support/test_support.h"

namespace kfuncdb::robustness {
namespace {

constexpr int kExitStoreFailed = 3;

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
    std::vector<std::string> argv = {kIngestBinary, "--db", db_.string(), "--jobs", "1"};
    for (const auto& build : builds) argv.push_back(build.string());
    return testing::RunProcess(argv, scratch_.path());
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
  // Fill what is left of the disk.
  const std::filesystem::path filler = disk_->path() / "filler";
  {
    std::ofstream out(filler, std::ios::binary);
    std::string block(4096, 'x');
    while (out.write(block.data(), block.size()) && out.flush()) {
    }
  }
  testing::ProcessOutput full = Ingest(Rest());
  const std::string said = full.out + full.err;
  std::printf("disk: full disk: exit %d: %s\n", full.exit_code, said.c_str());
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

TEST_F(DiskTroubleTest, ReadOnlyDatabaseFailsClearlyAndKeepsTheStore) {
  ASSERT_TRUE(disk_->Remount(/*read_only=*/true)) << std::strerror(errno);
  testing::ProcessOutput read_only = Ingest(Rest());
  std::printf("disk: read-only file system: exit %d: %s\n", read_only.exit_code,
              (read_only.out + read_only.err).c_str());
  EXPECT_EQ(read_only.exit_code, kExitStoreFailed) << read_only.out << read_only.err;
  EXPECT_NE((read_only.out + read_only.err).find("read-only"), std::string::npos)
      << read_only.out << read_only.err;
  ASSERT_TRUE(disk_->Remount(/*read_only=*/false)) << std::strerror(errno);
  ExpectStoreAsBefore();
}

}  // namespace
}  // namespace kfuncdb::robustness
