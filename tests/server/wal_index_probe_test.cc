// WalIndexProbe and the answer cache it guards, on real SQLite databases:
// the wal-index state moves with every commit (this process's or another's)
// and with nothing else, and ReaderPool::ReadCached serves an answer only at
// the state it was computed at.
#include "server/wal_index_probe.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "common/sqlite/database.h"
#include "common/sqlite/migrations.h"
#include "server/answer_cache.h"
#include "server/reader_pool.h"
#include "tests/support/test_support.h"

namespace kfuncdb::server {
namespace {

WalIndexState StateOf(const WalIndexProbe& probe) {
  std::optional<WalIndexState> state = probe.State();
  EXPECT_TRUE(state.has_value()) << "no commit is in progress, so the header is whole";
  return state.value_or(WalIndexState{});
}

class WalIndexProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto writer = sqlite::OpenForWriting(path_);
    ASSERT_TRUE(writer.ok()) << writer.status();
    writer_ = std::make_unique<sqlite::Database>(std::move(*writer));
    ASSERT_TRUE(writer_->Execute("CREATE TABLE scratch(x)").ok());
  }

  void Commit() { ASSERT_TRUE(writer_->Execute("INSERT INTO scratch VALUES (1)").ok()); }

  // Opens reader_ as the server does and attaches probe_ to it.
  void AttachProbe() {
    auto reader = sqlite::OpenForReading(path_);
    ASSERT_TRUE(reader.ok()) << reader.status();
    reader_ = std::make_unique<sqlite::Database>(std::move(*reader));
    auto probe = WalIndexProbe::Attach(*reader_);
    ASSERT_TRUE(probe.ok()) << probe.status();
    probe_ = *probe;
  }

  testing::ScratchDir dir_;
  const std::filesystem::path path_ = dir_ / "kfuncs.db";
  std::unique_ptr<sqlite::Database> writer_;
  std::unique_ptr<sqlite::Database> reader_;
  std::optional<WalIndexProbe> probe_;  // borrows reader_'s mapping
};

TEST_F(WalIndexProbeTest, StateMovesWithEachCommitAndWithNothingElse) {
  ASSERT_NO_FATAL_FAILURE(AttachProbe());
  const WalIndexProbe& probe = *probe_;
  const WalIndexState start = StateOf(probe);
  ASSERT_TRUE(reader_->Execute("BEGIN; SELECT count(*) FROM scratch; COMMIT").ok());
  ASSERT_TRUE(writer_->Execute("SELECT count(*) FROM scratch").ok());
  EXPECT_EQ(StateOf(probe), start) << "reads commit nothing";

  Commit();
  const WalIndexState after_one = StateOf(probe);
  EXPECT_NE(after_one, start);
  Commit();
  const WalIndexState after_two = StateOf(probe);
  EXPECT_NE(after_two, after_one);
  EXPECT_NE(after_two, start);

  ASSERT_TRUE(writer_->Execute("PRAGMA wal_checkpoint(PASSIVE)").ok());
  EXPECT_EQ(StateOf(probe), after_two) << "copying frames into the database commits nothing";
  // A truncating checkpoint rewrites the header (a spurious change: one
  // recompute); the commit after it starts the WAL over.
  ASSERT_TRUE(writer_->Execute("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  const WalIndexState truncated = StateOf(probe);
  Commit();
  EXPECT_NE(StateOf(probe), truncated);
  EXPECT_NE(StateOf(probe), after_two);
}

TEST_F(WalIndexProbeTest, SeesACommitOfAnotherProcess) {
  ASSERT_NO_FATAL_FAILURE(AttachProbe());
  const WalIndexProbe& probe = *probe_;
  const WalIndexState start = StateOf(probe);

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // A connection of its own, as the ingest worker's would be.
    auto writer = sqlite::Database::Open(path_, sqlite::OpenMode::kReadWrite);
    _exit(writer.ok() && writer->Execute("INSERT INTO scratch VALUES (2)").ok() ? 0 : 1);
  }
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
  EXPECT_NE(StateOf(probe), start);
}

TEST_F(WalIndexProbeTest, RollbackJournalDatabaseIsRefusedByName) {
  ASSERT_TRUE(writer_->Execute("PRAGMA journal_mode = DELETE").ok());
  writer_.reset();
  auto reader = sqlite::OpenForReading(path_);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto probe = WalIndexProbe::Attach(*reader);
  ASSERT_FALSE(probe.ok());
  EXPECT_EQ(probe.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(probe.status().message().find("kfuncs.db"), std::string::npos) << probe.status();
  EXPECT_NE(probe.status().message().find("'delete'"), std::string::npos) << probe.status();
}

TEST(AnswerCacheTest, AnswersOnlyForTheStateItWasComputedAt) {
  const WalIndexState before = {1, 2, 3};
  const WalIndexState after = {1, 2, 4};
  AnswerCache cache;
  cache.Insert(before, "a", std::make_shared<const std::string>("old"));
  ASSERT_NE(cache.Find(before, "a"), nullptr);
  EXPECT_EQ(*cache.Find(before, "a"), "old");
  EXPECT_EQ(cache.Find(after, "a"), nullptr);
  EXPECT_EQ(cache.Find(before, "b"), nullptr);

  cache.Insert(after, "b", std::make_shared<const std::string>("new"));
  EXPECT_EQ(cache.Find(before, "a"), nullptr) << "the old state's answers are gone";
  ASSERT_NE(cache.Find(after, "b"), nullptr);
  EXPECT_EQ(*cache.Find(after, "b"), "new");
}

// ReadCached over a migrated database: `compute` counts its runs and
// answers with the number of rows in `scratch` it sees.
class ReadCachedTest : public WalIndexProbeTest {
 protected:
  absl::StatusOr<std::string> Ask(ReaderPool& pool, absl::FunctionRef<void()> during_compute = [] {}) {
    absl::StatusOr<SerializedAnswer> answer =
        pool.ReadCached(absl::InfiniteFuture(), "question", [&](const ReadContext& read)
                                                                -> absl::StatusOr<SerializedAnswer> {
          ++computed_;
          auto count = read.db.Prepare("SELECT count(*) FROM scratch");
          if (!count.ok()) return count.status();
          auto row = count->Step();
          if (!row.ok()) return row.status();
          const std::string rows = std::to_string(count->ColumnInt64(0));
          during_compute();
          return std::make_shared<const std::string>(rows);
        });
    if (!answer.ok()) return answer.status();
    return **answer;
  }

  int computed_ = 0;
};

TEST_F(ReadCachedTest, ServesTheCachedAnswerUntilACommit) {
  auto pool = ReaderPool::Open(path_, 2);
  ASSERT_TRUE(pool.ok()) << pool.status();
  ASSERT_TRUE((*pool)->cache_status().ok()) << (*pool)->cache_status();

  EXPECT_EQ(Ask(**pool).value_or(""), "0");
  EXPECT_EQ(Ask(**pool).value_or(""), "0");
  EXPECT_EQ(computed_, 1) << "the second question was a hit";

  Commit();
  EXPECT_EQ(Ask(**pool).value_or(""), "1") << "a commit that has returned is seen at once";
  EXPECT_EQ(computed_, 2);
  EXPECT_EQ(Ask(**pool).value_or(""), "1");
  EXPECT_EQ(computed_, 2);
}

TEST_F(ReadCachedTest, AnAnswerOvertakenByACommitIsNotKept) {
  auto pool = ReaderPool::Open(path_, 2);
  ASSERT_TRUE(pool.ok()) << pool.status();

  // The commit lands while the answer is computed from the older snapshot.
  EXPECT_EQ(Ask(**pool, [&] { Commit(); }).value_or(""), "0");
  EXPECT_EQ(Ask(**pool).value_or(""), "1") << "the older answer was not cached";
  EXPECT_EQ(Ask(**pool).value_or(""), "1");
  EXPECT_EQ(computed_, 2);
}

TEST_F(ReadCachedTest, WithoutWalEveryQuestionIsComputed) {
  ASSERT_TRUE(writer_->Execute("PRAGMA journal_mode = DELETE").ok());
  writer_.reset();
  auto pool = ReaderPool::Open(path_, 1);
  ASSERT_TRUE(pool.ok()) << pool.status();
  EXPECT_EQ((*pool)->cache_status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Ask(**pool).value_or(""), "0");
  EXPECT_EQ(Ask(**pool).value_or(""), "0");
  EXPECT_EQ(computed_, 2);
}

}  // namespace
}  // namespace kfuncdb::server
