// The migration runner on real files: the built-in schema applies, versions
// are recorded, failures roll back to the last good version, and a database
// newer than the binary is refused by both sides.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/sqlite/migrations.h"
#include "common/sqlite/transaction.h"
#include "tests/support/test_support.h"

namespace kfuncdb::sqlite {
namespace {

using ::testing::HasSubstr;

bool TableExists(Database& db, const std::string& name) {
  auto stmt = db.Prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
  EXPECT_TRUE(stmt.ok());
  EXPECT_TRUE(stmt->BindAll(name).ok());
  auto row = stmt->Step();
  return row.ok() && *row;
}

TEST(MigrationsTest, BuiltInMigrationsAreNumberedFromOne) {
  auto migrations = BuiltInMigrations();
  ASSERT_FALSE(migrations.empty());
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1) << migrations[i].name;
  }
  EXPECT_EQ(migrations[0].name, "0001_builds.sql");
  EXPECT_EQ(LatestSchemaVersion(), static_cast<int>(migrations.size()));
}

TEST(MigrationsTest, OpenForWritingCreatesTheSchemaOnce) {
  testing::ScratchDir dir;
  {
    auto db = OpenForWriting(dir / "k.db");
    ASSERT_TRUE(db.ok()) << db.status();
    EXPECT_EQ(*SchemaVersion(*db), LatestSchemaVersion());
    EXPECT_TRUE(TableExists(*db, "builds"));
    EXPECT_TRUE(TableExists(*db, "build_kfuncs"));
  }
  // Again: nothing to apply, the seeded 'mainline' lineage is not duplicated.
  auto db = OpenForWriting(dir / "k.db");
  ASSERT_TRUE(db.ok()) << db.status();
  auto count = db->Prepare("SELECT count(*) FROM lineages WHERE name = 'mainline'");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->ColumnInt64(0), 1);
}

TEST(MigrationsTest, FailedMigrationLeavesTheLastGoodVersion) {
  testing::ScratchDir dir;
  auto db = Database::Open(dir / "k.db", OpenMode::kReadWrite);
  ASSERT_TRUE(db.ok());
  const Migration migrations[] = {
      {1, "0001_a.sql", "CREATE TABLE a (x INTEGER) STRICT;"},
      {2, "0002_b.sql", "CREATE TABLE b (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);"},
  };
  absl::Status status = Migrate(*db, migrations);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("0002_b.sql"));
  EXPECT_THAT(status.message(), HasSubstr("nowhere"));
  EXPECT_EQ(*SchemaVersion(*db), 1);
  EXPECT_TRUE(TableExists(*db, "a"));
  EXPECT_FALSE(TableExists(*db, "b"));
  EXPECT_FALSE(db->in_transaction());
}

TEST(MigrationsTest, DatabaseNewerThanTheBinaryIsRefusedByBothSides) {
  testing::ScratchDir dir;
  {
    auto db = OpenForWriting(dir / "k.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Execute("PRAGMA user_version = 999").ok());
  }
  auto writer = OpenForWriting(dir / "k.db");
  EXPECT_EQ(writer.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(writer.status().message(), HasSubstr("newer than this binary"));
  auto reader = OpenForReading(dir / "k.db");
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reader.status().message(), HasSubstr("999"));
}

TEST(MigrationsTest, ReaderNeverMigratesAnOlderDatabase) {
  testing::ScratchDir dir;
  {
    auto db = Database::Open(dir / "k.db", OpenMode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(Migrate(*db, BuiltInMigrations().first(1)).ok());
  }
  auto reader = OpenForReading(dir / "k.db");
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reader.status().message(), HasSubstr("older"));
  auto plain = Database::Open(dir / "k.db", OpenMode::kReadOnly);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*SchemaVersion(*plain), 1);
  EXPECT_EQ(Migrate(*plain).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(MigrationsTest, ReaderOfACurrentDatabaseSeesTheSchema) {
  testing::ScratchDir dir;
  ASSERT_TRUE(OpenForWriting(dir / "k.db").ok());
  auto reader = OpenForReading(dir / "k.db");
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_TRUE(TableExists(*reader, "names"));
}

}  // namespace
}  // namespace kfuncdb::sqlite
