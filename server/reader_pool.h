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
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/sqlite/database.h"
#include "server/answer_cache.h"
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

  // Sets the answer from the connection's AnswerCache and returns true, or
  // returns false on a miss.
  using ServeCached = absl::FunctionRef<bool(const AnswerCache&)>;

  // As Read(), but first offers the connection's AnswerCache to
  // `serve_cached` when no other connection has committed since the cache's
  // database state (checked with `PRAGMA data_version`, one statement in
  // autocommit mode instead of BEGIN, the pragma and COMMIT). A hit is
  // served without a read transaction; a miss runs `read` as Read() does.
  absl::Status Read(absl::Time deadline, ServeCached serve_cached,
                    absl::FunctionRef<absl::Status(const ReadContext&)> read);

 private:
  struct Reader;
  explicit ReaderPool(std::vector<std::unique_ptr<Reader>> readers);

  absl::StatusOr<Reader*> Acquire(absl::Time deadline);
  void Release(Reader* reader);
  static absl::Status ReadOn(Reader& reader, absl::Time deadline, ServeCached serve_cached,
                             absl::FunctionRef<absl::Status(const ReadContext&)> read);

  std::vector<std::unique_ptr<Reader>> readers_;
  absl::Mutex mu_;
  std::vector<Reader*> free_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kfuncdb::server
