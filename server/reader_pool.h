// ReaderPool: a fixed set of read-only SQLite connections shared by the
// server's request threads, and the one place where a request's reads get
// their read transaction.
//
// Each connection is opened read-only (SQLITE_OPEN_READONLY and
// `PRAGMA query_only`) with the schema version checked, keeps its prepared
// statements for its whole life (Database::Prepared), and keeps the
// ServingCatalog of the last database state it saw. Read() runs a request's
// reads inside one BEGIN ... COMMIT, so an answer never mixes two database
// states; since the database is in WAL mode, a transaction started after
// the ingest worker commits sees the new builds, without a restart.
// ReadCached() also keeps answers in one AnswerCache for the whole pool and
// serves a repeated question without any connection while the
// WalIndexProbe shows no commit since the answer was computed.
//
// Deadlines: Read() gives up waiting for a free connection at the deadline,
// and a statement still running at the deadline is interrupted; both come
// back as DeadlineExceeded.
//
// Thread safety: Read() and ReadCached() may be called from any number of
// threads; each read has a connection to itself for its duration, and a
// cache hit needs none.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/sqlite/database.h"
#include "server/answer_cache.h"
#include "server/wal_index_probe.h"
#include "server/serving_catalog.h"

namespace kfuncdb::server {

// What a query sees during Read(): its connection and the catalog of the
// transaction's snapshot.
struct ReadContext {
  sqlite::Database& db;
  const ServingCatalog& catalog;
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

  // The answer cached under `key` at the database's current committed
  // state, served without SQLite; or else compute(read)'s, run inside a
  // read transaction as in Read() and cached when no commit overtook it.
  // Errors: compute's, DeadlineExceeded, or the SQLite error; errors are
  // not cached.
  using ComputeAnswer = absl::FunctionRef<absl::StatusOr<SerializedAnswer>(const ReadContext&)>;
  absl::StatusOr<SerializedAnswer> ReadCached(absl::Time deadline, const std::string& key,
                                              ComputeAnswer compute);

  // The answer ReadCached() keeps under `key` at the database's current
  // committed state, or nullptr; never touches SQLite.
  SerializedAnswer CachedAnswer(std::string_view key) const;

  // Why ReadCached() never serves from its cache (the database is not in
  // WAL mode, see WalIndexProbe); OK when it does.
  const absl::Status& cache_status() const { return cache_status_; }

 private:
  struct Reader;
  explicit ReaderPool(std::vector<std::unique_ptr<Reader>> readers);

  absl::StatusOr<Reader*> Acquire(absl::Time deadline);
  void Release(Reader* reader);
  absl::Status ReadOn(Reader& reader, absl::Time deadline,
                      absl::FunctionRef<absl::Status(const ReadContext&)> read);
  // The probe's state; nullopt without a probe or while a commit is
  // rewriting the wal-index.
  std::optional<WalIndexState> CommittedState() const;

  std::vector<std::unique_ptr<Reader>> readers_;
  // Borrows readers_.front()'s mapping: declared after readers_ so that it
  // is destroyed first.
  std::optional<WalIndexProbe> probe_;
  absl::Status cache_status_;
  AnswerCache answers_;
  absl::Mutex mu_;
  std::vector<Reader*> free_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kfuncdb::server
