// The sqlite wrapper against real database files: modes, binding and NULLs,
// transactions that roll back, and the statuses SQLite failures turn into.
#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/sqlite/database.h"
#include "common/sqlite/statement.h"
#include "common/sqlite/transaction.h"
#include "tests/support/test_support.h"

namespace kfuncdb::sqlite {
namespace {

using ::testing::HasSubstr;

Database OpenOrDie(const std::filesystem::path& path, OpenMode mode, OpenOptions options = {}) {
  absl::StatusOr<Database> db = Database::Open(path, mode, options);
  EXPECT_TRUE(db.ok()) << db.status();
  return std::move(db).value();
}

int64_t CountRows(Database& db, const std::string& table) {
  absl::StatusOr<Statement> stmt = db.Prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(stmt.ok()) << stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return stmt->ColumnInt64(0);
}

TEST(SqliteDatabaseTest, WriterCreatesFileInWalModeWithForeignKeys) {
  testing::ScratchDir dir;
  Database db = OpenOrDie(dir / "k.db", OpenMode::kReadWrite);
  EXPECT_TRUE(std::filesystem::exists(dir / "k.db"));
  auto mode = db.Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
  auto fk = db.Prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(fk.ok());
  ASSERT_TRUE(*fk->Step());
  EXPECT_EQ(fk->ColumnInt64(0), 1);
}

TEST(SqliteDatabaseTest, BindsAndReadsNullsAsOptionals) {
  testing::ScratchDir dir;
  Database db = OpenOrDie(dir / "k.db", OpenMode::kReadWrite);
  ASSERT_TRUE(db.Execute("CREATE TABLE t (a INTEGER, b TEXT, c REAL) STRICT").ok());
  auto insert = db.Prepared("INSERT INTO t (a, b, c) VALUES (?, ?, ?)");
  ASSERT_TRUE(insert.ok()) << insert.status();
  ASSERT_TRUE((*insert)->BindAll(std::optional<int64_t>(), std::string("x"), 1.5).ok());
  ASSERT_TRUE((*insert)->Run().ok());
  ASSERT_TRUE((*insert)->BindAll(int64_t{1} << 40, std::optional<std::string>(), 2.0).ok());
  ASSERT_TRUE((*insert)->Run().ok());
  // Reading with a text containing a NUL byte and a bit-31 value survives.
  ASSERT_TRUE((*insert)->BindAll(uint32_t{0x80000000u}, std::string_view("a\0b", 3), 0.0).ok());
  ASSERT_TRUE((*insert)->Run().ok());

  auto select = db.Prepare("SELECT a, b, c FROM t ORDER BY rowid");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnOptionalInt64(0), std::nullopt);
  EXPECT_EQ(select->ColumnOptionalString(1), "x");
  EXPECT_DOUBLE_EQ(select->ColumnDouble(2), 1.5);
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnOptionalInt64(0), int64_t{1} << 40);
  EXPECT_EQ(select->ColumnOptionalString(1), std::nullopt);
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnInt64(0), 0x80000000LL);
  EXPECT_EQ(select->ColumnText(1), std::string_view("a\0b", 3));
  EXPECT_FALSE(*select->Step());
}

TEST(SqliteDatabaseTest, PreparedStatementsAreCachedAndResetWhenHandedOut) {
  testing::ScratchDir dir;
  Database db = OpenOrDie(dir / "k.db", OpenMode::kReadWrite);
  auto first = db.Prepared("SELECT 1 UNION ALL SELECT 2");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(*(*first)->Step());
  auto second = db.Prepared("SELECT 1 UNION ALL SELECT 2");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  // Reset on hand-out: iteration starts from the first row again.
  ASSERT_TRUE(*(*second)->Step());
  EXPECT_EQ((*second)->ColumnInt64(0), 1);
}

TEST(SqliteDatabaseTest, ErrorsNameTheFileAndTheSql) {
  testing::ScratchDir dir;
  Database db = OpenOrDie(dir / "k.db", OpenMode::kReadWrite);
  absl::StatusOr<Statement> bad = db.Prepare("SELECT * FROM no_such_table");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr((dir / "k.db").string()));
  EXPECT_THAT(bad.status().message(), HasSubstr("no_such_table"));

  ASSERT_TRUE(db.Execute("CREATE TABLE u (x TEXT NOT NULL UNIQUE) STRICT").ok());
  ASSERT_TRUE(db.Execute("INSERT INTO u VALUES ('a')").ok());
  absl::Status dup = db.Execute("INSERT INTO u VALUES ('a')");
  EXPECT_EQ(dup.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(dup.message(), HasSubstr("UNIQUE"));
}

TEST(SqliteDatabaseTest, TransactionRollsBackUnlessCommitted) {
  testing::ScratchDir dir;
  Database db = OpenOrDie(dir / "k.db", OpenMode::kReadWrite);
  ASSERT_TRUE(db.Execute("CREATE TABLE t (a INTEGER) STRICT").ok());
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(txn.ok()) << txn.status();
    EXPECT_TRUE(db.in_transaction());
    ASSERT_TRUE(db.Execute("INSERT INTO t VALUES (1)").ok());
    // Transactions do not nest.
    EXPECT_EQ(Transaction::Begin(db).status().code(), absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_FALSE(db.in_transaction());
  EXPECT_EQ(CountRows(db, "t"), 0);
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db.Execute("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(txn->Commit().ok());
    EXPECT_EQ(txn->Commit().code(), absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_EQ(CountRows(db, "t"), 1);
}

TEST(SqliteDatabaseTest, SecondWriterIsUnavailableWhileTheFirstHoldsTheLock) {
  testing::ScratchDir dir;
  Database holder = OpenOrDie(dir / "k.db", OpenMode::kReadWrite);
  ASSERT_TRUE(holder.Execute("CREATE TABLE t (a INTEGER) STRICT").ok());
  auto held = Transaction::Begin(holder);
  ASSERT_TRUE(held.ok());

  Database writer =
      OpenOrDie(dir / "k.db", OpenMode::kReadWrite, OpenOptions{std::chrono::milliseconds(50)});
  absl::StatusOr<Transaction> blocked = Transaction::Begin(writer);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(blocked.status().message(), HasSubstr("database is locked"));
  EXPECT_THAT(blocked.status().message(), HasSubstr((dir / "k.db").string()));

  // Readers are not blocked by the writer in WAL mode.
  Database reader = OpenOrDie(dir / "k.db", OpenMode::kReadOnly);
  auto snapshot = Transaction::Begin(reader);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(CountRows(reader, "t"), 0);
}

TEST(SqliteDatabaseTest, ReadOnlyRefusesWritesAndMissingFiles) {
  testing::ScratchDir dir;
  {
    Database writer = OpenOrDie(dir / "k.db", OpenMode::kReadWrite);
    ASSERT_TRUE(writer.Execute("CREATE TABLE t (a INTEGER) STRICT").ok());
  }
  Database reader = OpenOrDie(dir / "k.db", OpenMode::kReadOnly);
  absl::Status write = reader.Execute("INSERT INTO t VALUES (1)");
  EXPECT_EQ(write.code(), absl::StatusCode::kPermissionDenied) << write;

  absl::StatusOr<Database> missing = Database::Open(dir / "absent.db", OpenMode::kReadOnly);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("absent.db"));
  EXPECT_FALSE(std::filesystem::exists(dir / "absent.db"));
}

TEST(SqliteDatabaseTest, UncreatablePathFailsWithThePath) {
  testing::ScratchDir dir;
  absl::StatusOr<Database> no_dir =
      Database::Open(dir / "no" / "such" / "k.db", OpenMode::kReadWrite);
  ASSERT_FALSE(no_dir.ok());
  EXPECT_EQ(no_dir.status().code(), absl::StatusCode::kFailedPrecondition) << no_dir.status();
  EXPECT_THAT(no_dir.status().message(), HasSubstr("no/such/k.db"));

  // A directory component that is a regular file (fails even for root,
  // unlike a chmod-ed directory).
  testing::WriteFileOrFail(dir / "plain", "x");
  absl::StatusOr<Database> under_file = Database::Open(dir / "plain" / "k.db", OpenMode::kReadWrite);
  ASSERT_FALSE(under_file.ok());
  EXPECT_THAT(under_file.status().message(), HasSubstr("plain/k.db"));
}

TEST(SqliteDatabaseTest, FileThatIsNotADatabaseIsDataLoss) {
  testing::ScratchDir dir;
  testing::WriteFileOrFail(dir / "junk.db", std::string(4096, 'x'));
  absl::StatusOr<Database> writer = Database::Open(dir / "junk.db", OpenMode::kReadWrite);
  EXPECT_EQ(writer.status().code(), absl::StatusCode::kDataLoss) << writer.status();
  absl::StatusOr<Database> reader = Database::Open(dir / "junk.db", OpenMode::kReadOnly);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss) << reader.status();
}

}  // namespace
}  // namespace kfuncdb::sqlite
