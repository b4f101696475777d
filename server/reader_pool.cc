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
  std::vector<std::unique_ptr<Reader>> readers;
  for (int i = 0; i < connections; ++i) {
    KFUNCDB_ASSIGN_OR_RETURN(sqlite::Database db, sqlite::OpenForReading(path));
    readers.push_back(std::make_unique<Reader>(Reader{std::move(db)}));
  }
  // The probe borrows the first connection's wal-index mapping; the pool
  // keeps that connection open as long as itself. Without a probe (not
  // WAL) every request takes a read transaction: slower, just as correct.
  absl::StatusOr<WalIndexProbe> probe = WalIndexProbe::Attach(readers.front()->db);
  auto pool = std::unique_ptr<ReaderPool>(new ReaderPool(std::move(readers)));
  if (probe.ok()) {
    pool->probe_ = *probe;
  } else {
    pool->cache_status_ = probe.status();
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
  if (absl::Now() >= deadline) {
    return absl::DeadlineExceededError("deadline passed before the database was read");
  }
  KFUNCDB_ASSIGN_OR_RETURN(Reader * reader, Acquire(deadline));
  absl::Status status = ReadOn(*reader, deadline, read);
  Release(reader);
  return status;
}

std::optional<WalIndexState> ReaderPool::CommittedState() const {
  return probe_.has_value() ? probe_->State() : std::nullopt;
}

SerializedAnswer ReaderPool::CachedAnswer(std::string_view key) const {
  const std::optional<WalIndexState> state = CommittedState();
  return state.has_value() ? answers_.Find(*state, key) : nullptr;
}

absl::StatusOr<SerializedAnswer> ReaderPool::ReadCached(absl::Time deadline, const std::string& key,
                                                        ComputeAnswer compute) {
  if (absl::Now() >= deadline) {
    return absl::DeadlineExceededError("deadline passed before the database was read");
  }
  // Read before any transaction begins: the transaction's snapshot is this
  // state or a newer one (wal_index_probe.h).
  const std::optional<WalIndexState> state = CommittedState();
  if (state.has_value()) {
    if (SerializedAnswer hit = answers_.Find(*state, key)) return hit;
  }
  SerializedAnswer answer;
  KFUNCDB_RETURN_IF_ERROR(Read(deadline, [&](const ReadContext& read) -> absl::Status {
    KFUNCDB_ASSIGN_OR_RETURN(answer, compute(read));
    return absl::OkStatus();
  }));
  // Kept only while still current: no commit since `state` was read means
  // the snapshot was exactly `state`. An answer overtaken by a commit is
  // sent, not kept, so a slow old request never evicts newer answers.
  if (state.has_value() && CommittedState() == state) answers_.Insert(*state, key, answer);
  return answer;
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

absl::Status ReaderPool::ReadOn(Reader& reader, absl::Time deadline,
                                absl::FunctionRef<absl::Status(const ReadContext&)> read) {
  sqlite3_progress_handler(reader.db.raw(), kProgressSteps, &InterruptAtDeadline, &deadline);
  absl::Status status = [&]() -> absl::Status {
    KFUNCDB_ASSIGN_OR_RETURN(sqlite::Transaction transaction, sqlite::Transaction::Begin(reader.db));
    KFUNCDB_ASSIGN_OR_RETURN(int64_t data_version, DataVersion(reader.db));
    if (reader.catalog == nullptr || data_version != reader.data_version) {
      KFUNCDB_ASSIGN_OR_RETURN(reader.catalog, ServingCatalog::Load(reader.db));
      reader.data_version = data_version;
    }
    KFUNCDB_RETURN_IF_ERROR(read(ReadContext{reader.db, *reader.catalog}));
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
