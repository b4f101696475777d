#include "server/reader_pool.h"

#include <sqlite3.h>

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "common/sqlite/migrations.h"
#include "common/sqlite/transaction.h"
#include "common/status_macros.h"

namespace kfuncdb::server {

struct ReaderPool::Reader {
  sqlite::Database db;
  // The database state `catalog` was loaded at; -1: never loaded.
  int64_t data_version = -1;
  std::shared_ptr<const ServingCatalog> catalog;
  AnswerCache answers;  // emptied with each catalog reload
  // The change generation up to which `answers` is known current; nullopt:
  // not known, take the transaction.
  std::optional<uint64_t> validated_generation;
};

namespace {

// SQLite calls this every few thousand VM steps; a non-zero return
// interrupts the statement (SQLITE_INTERRUPT).
int InterruptAtDeadline(void* deadline) {
  return absl::Now() >= *static_cast<const absl::Time*>(deadline) ? 1 : 0;
}

constexpr int kProgressSteps = 4000;

}  // namespace

absl::StatusOr<std::unique_ptr<ReaderPool>> ReaderPool::Open(const std::filesystem::path& path,
                                                             int connections) {
  if (connections < 1) {
    return absl::InvalidArgumentError(absl::StrCat("reader connections: ", connections, " < 1"));
  }
  // Watching starts before the first connection reads, so no commit can
  // slip between the two. Without a watch (inotify limits reached) every
  // request takes a read transaction: slower, just as correct.
  absl::StatusOr<std::unique_ptr<DatabaseChangeWatcher>> watcher = DatabaseChangeWatcher::Watch(path);
  std::vector<std::unique_ptr<Reader>> readers;
  for (int i = 0; i < connections; ++i) {
    KFUNCDB_ASSIGN_OR_RETURN(sqlite::Database db, sqlite::OpenForReading(path));
    readers.push_back(std::make_unique<Reader>(Reader{std::move(db)}));
  }
  auto pool = std::unique_ptr<ReaderPool>(new ReaderPool(std::move(readers)));
  if (watcher.ok()) {
    pool->change_watcher_ = std::move(*watcher);
  } else {
    pool->change_watch_status_ = watcher.status();
  }
  return pool;
}

ReaderPool::ReaderPool(std::vector<std::unique_ptr<Reader>> readers)
    : readers_(std::move(readers)) {
  for (auto& reader : readers_) free_.push_back(reader.get());
}

ReaderPool::~ReaderPool() = default;

absl::StatusOr<ReaderPool::Reader*> ReaderPool::Acquire(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  auto has_free = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !free_.empty(); };
  if (!mu_.AwaitWithDeadline(absl::Condition(&has_free), deadline)) {
    return absl::DeadlineExceededError("deadline passed while waiting for a database connection");
  }
  Reader* reader = free_.back();
  free_.pop_back();
  return reader;
}

void ReaderPool::Release(Reader* reader) {
  absl::MutexLock lock(&mu_);
  free_.push_back(reader);
}

absl::Status ReaderPool::Read(absl::Time deadline,
                              absl::FunctionRef<absl::Status(const ReadContext&)> read) {
  return ReadWith(deadline, [](const AnswerCache&) { return false; }, read);
}

absl::StatusOr<SerializedAnswer> ReaderPool::ReadCached(absl::Time deadline, const std::string& key,
                                                        ComputeAnswer compute) {
  SerializedAnswer answer;
  KFUNCDB_RETURN_IF_ERROR(ReadWith(
      deadline,
      [&](const AnswerCache& cache) {
        answer = cache.Find(key);
        return answer != nullptr;
      },
      [&](const ReadContext& read) -> absl::Status {
        // The snapshot may have moved on since the fast path looked (the
        // cache was then emptied), so look again inside the transaction.
        if ((answer = read.answers.Find(key)) != nullptr) return absl::OkStatus();
        KFUNCDB_ASSIGN_OR_RETURN(answer, compute(read));
        read.answers.Insert(key, answer);
        return absl::OkStatus();
      }));
  return answer;
}

absl::Status ReaderPool::ReadWith(absl::Time deadline, ServeCached serve_cached,
                                  absl::FunctionRef<absl::Status(const ReadContext&)> read) {
  if (absl::Now() >= deadline) {
    return absl::DeadlineExceededError("deadline passed before the database was read");
  }
  KFUNCDB_ASSIGN_OR_RETURN(Reader * reader, Acquire(deadline));
  absl::Status status = ReadOn(*reader, deadline, serve_cached, read);
  Release(reader);
  return status;
}

namespace {

// The connection's `PRAGMA data_version`: it changes exactly when another
// connection has committed since this one last read. Inside a transaction it
// is the version of the transaction's snapshot (the pragma reads the header,
// which starts the snapshot); outside one the statement is its own short
// read transaction, so it sees the newest commit.
absl::StatusOr<int64_t> DataVersion(sqlite::Database& db) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * version, db.Prepared("PRAGMA data_version"));
  absl::StatusOr<bool> row = version->Step();
  const int64_t data_version = row.ok() && *row ? version->ColumnInt64(0) : -1;
  // Reset ends the implicit read transaction of an autocommit pragma.
  version->Reset();
  if (!row.ok()) return row.status();
  return data_version;
}

}  // namespace

absl::Status ReaderPool::ReadOn(Reader& reader, absl::Time deadline, ServeCached serve_cached,
                                absl::FunctionRef<absl::Status(const ReadContext&)> read) {
  // Fast path: when no commit happened since the state the cached answers
  // were computed at, a cached answer is exactly what a transaction begun
  // now would compute, and it is one consistent state by construction; so
  // it is served without BEGIN ... COMMIT, and without SQLite at all.
  std::optional<uint64_t> generation;
  if (change_watcher_ != nullptr) {
    if (absl::StatusOr<uint64_t> now = change_watcher_->Generation(); now.ok()) generation = *now;
  }
  if (generation.has_value() && generation == reader.validated_generation &&
      serve_cached(reader.answers)) {
    return absl::OkStatus();
  }

  sqlite3_progress_handler(reader.db.raw(), kProgressSteps, &InterruptAtDeadline, &deadline);
  absl::Status status = [&]() -> absl::Status {
    KFUNCDB_ASSIGN_OR_RETURN(sqlite::Transaction transaction, sqlite::Transaction::Begin(reader.db));
    KFUNCDB_ASSIGN_OR_RETURN(int64_t data_version, DataVersion(reader.db));
    if (reader.catalog == nullptr || data_version != reader.data_version) {
      reader.answers.Clear();
      KFUNCDB_ASSIGN_OR_RETURN(reader.catalog, ServingCatalog::Load(reader.db));
      reader.data_version = data_version;
    }
    // The snapshot holds every commit counted in `generation` (read before
    // BEGIN), so the cache is valid at least up to it.
    reader.validated_generation = generation;
    KFUNCDB_RETURN_IF_ERROR(read(ReadContext{reader.db, *reader.catalog, reader.answers}));
    return transaction.Commit();
  }();
  sqlite3_progress_handler(reader.db.raw(), 0, nullptr, nullptr);
  if (!status.ok() && absl::Now() >= deadline) {
    return absl::DeadlineExceededError(
        absl::StrCat("deadline passed while reading the database (", status.message(), ")"));
  }
  return status;
}

}  // namespace kfuncdb::server
