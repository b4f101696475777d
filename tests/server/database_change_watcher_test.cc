// DatabaseChangeWatcher on real files and a real SQLite commit: the writes
// that precede a commit bump the generation, others do not.
#include "server/database_change_watcher.h"

#include <fstream>

#include <gtest/gtest.h>

#include "common/sqlite/database.h"
#include "common/sqlite/migrations.h"
#include "tests/support/test_support.h"

namespace kfuncdb::server {
namespace {

void Append(const std::filesystem::path& file) {
  std::ofstream out(file, std::ios::app);
  out << "x";
}

uint64_t GenerationOf(DatabaseChangeWatcher& watcher) {
  absl::StatusOr<uint64_t> generation = watcher.Generation();
  EXPECT_TRUE(generation.ok()) << generation.status();
  return generation.value_or(0);
}

TEST(DatabaseChangeWatcherTest, CountsWritesToTheDatabaseAndItsWal) {
  testing::ScratchDir dir;
  auto watcher = DatabaseChangeWatcher::Watch(dir / "kfuncs.db");
  ASSERT_TRUE(watcher.ok()) << watcher.status();
  const uint64_t start = GenerationOf(**watcher);
  EXPECT_EQ(GenerationOf(**watcher), start) << "nothing written";

  Append(dir / "kfuncs.db-shm");
  Append(dir / "other.db-wal");
  Append(dir / "kfuncs.db.bak");
  EXPECT_EQ(GenerationOf(**watcher), start) << "files that carry no commit";

  Append(dir / "kfuncs.db-wal");
  const uint64_t after_wal = GenerationOf(**watcher);
  EXPECT_GT(after_wal, start);
  EXPECT_EQ(GenerationOf(**watcher), after_wal) << "each event counts once";

  Append(dir / "kfuncs.db");
  EXPECT_GT(GenerationOf(**watcher), after_wal);
}

TEST(DatabaseChangeWatcherTest, SeesACommitThatHasReturned) {
  testing::ScratchDir dir;
  const std::filesystem::path path = dir / "kfuncs.db";
  auto db = sqlite::OpenForWriting(path);
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(db->Execute("CREATE TABLE scratch(x)").ok());
  auto watcher = DatabaseChangeWatcher::Watch(path);
  ASSERT_TRUE(watcher.ok()) << watcher.status();
  const uint64_t start = GenerationOf(**watcher);
  ASSERT_TRUE(db->Execute("INSERT INTO scratch VALUES (1)").ok());
  EXPECT_TRUE(std::filesystem::exists(dir / "kfuncs.db-wal")) << "the store is in WAL mode";
  EXPECT_GT(GenerationOf(**watcher), start);
}

TEST(DatabaseChangeWatcherTest, MissingFolderIsNamed) {
  testing::ScratchDir dir;
  auto watcher = DatabaseChangeWatcher::Watch(dir / "no-such-folder" / "kfuncs.db");
  ASSERT_FALSE(watcher.ok());
  EXPECT_EQ(watcher.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(watcher.status().message().find("no-such-folder"), std::string::npos)
      << watcher.status();
}

}  // namespace
}  // namespace kfuncdb::server
