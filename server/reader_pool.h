// ReaderPool: a fixed set of read-only SQLite connections shared by the
// server's request threads, and the one place where a request's reads get
// their read transaction.
//
// Each connection is opened read-only (SQLITE_OPEN_READONLY and
// `PRAGMA query_only`) with the schema version checked, keeps its prepared
// statements for its whole life (Database::Prepared), and keeps the
// ServingCatalog and AnswerCache of the last database state it saw. Read() runs a request's
// reads inside one BEGIN ... COMMIT, so an answer never mixes two database
// states (a cached answer of the unchanged state needs no transaction: it
// was computed inside one); since the database is in WAL mode, a transaction started after the
// ingest worker commits sees the new builds, without a restart.
//
// Deadlines: Read() gives up waiting for a free connection at the deadline,
// and a statement still running at the deadline is interrupted; both come
// back as DeadlineExceeded.
//
// Thread safety: Read() may be called from any number of threads; each call
// has a connection to itself for its duration.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/sqlite/database.h"
#include "server/answer_cache.h"
#include "server/database_change_watcher.h"
#include "server/serving_catalog.h"

namespace kfuncdb::server {

// What a query sees during Read(): its connection, the catalog of the
// transaction's snapshot,
// and the connection's AnswerCache (valid for that same snapshot).
struct ReadContext {
  sqlite::Database& db;
  const ServingCatalog& catalog;
  AnswerCache& answers;
};

class ReaderPool {
 public:
  // Opens `connections` readers on `path`. Errors: those of
  // sqlite::OpenForReading (NotFound for a missing file, FailedPrecondition
  // for a schema version other than this binary's).
  static absl::StatusOr<std::unique_ptr<ReaderPool>> Open(const std::filesystem::path& path,
                                                          int connections);
  ~ReaderPool();

  // Runs `read` on a free connection inside one read transaction. Returns
  // read's status, or DeadlineExceeded / the SQLite error.
  absl::Status Read(absl::Time deadline, absl::FunctionRef<absl::Status(const ReadContext&)> read);

  // The answer cached under `key` on the connection, or else
  // compute(read)'s, which is then cached. A hit is served without SQLite
  // when the DatabaseChangeWatcher shows no commit since the cache's
  // database state; otherwise the read transaction checks
  // `PRAGMA data_version` (emptying the cache if another connection has
  // committed) and `compute` runs inside it as in Read(). Errors: compute's,
  // DeadlineExceeded, or the SQLite error; errors are not cached.
  using ComputeAnswer = absl::FunctionRef<absl::StatusOr<SerializedAnswer>(const ReadContext&)>;
  absl::StatusOr<SerializedAnswer> ReadCached(absl::Time deadline, const std::string& key,
                                              ComputeAnswer compute);

  // Why cache hits take a read transaction (the database's folder could not
  // be watched for changes, see DatabaseChangeWatcher); OK when they do not.
  const absl::Status& change_watch_status() const { return change_watch_status_; }

 private:
  struct Reader;
  explicit ReaderPool(std::vector<std::unique_ptr<Reader>> readers);

  absl::StatusOr<Reader*> Acquire(absl::Time deadline);
  void Release(Reader* reader);
  // Offered the connection's AnswerCache before any transaction: true when
  // it has set the answer from it.
  using ServeCached = absl::FunctionRef<bool(const AnswerCache&)>;
  absl::Status ReadWith(absl::Time deadline, ServeCached serve_cached,
                        absl::FunctionRef<absl::Status(const ReadContext&)> read);
  absl::Status ReadOn(Reader& reader, absl::Time deadline, ServeCached serve_cached,
                             absl::FunctionRef<absl::Status(const ReadContext&)> read);

  // Lets a cache hit skip SQLite; null when the watch could not be set up.
  std::unique_ptr<DatabaseChangeWatcher> change_watcher_;
  absl::Status change_watch_status_;
  std::vector<std::unique_ptr<Reader>> readers_;
  absl::Mutex mu_;
  std::vector<Reader*> free_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kfuncdb::server
