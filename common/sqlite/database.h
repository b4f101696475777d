// Database: one SQLite connection, owned (closed on destruction).
//
// Two modes, matching the two sides of kfuncdb:
//  - kReadWrite (the ingest writer): creates the file when missing, turns on
//    WAL so readers never block on the writer, foreign keys on, and a busy
//    timeout so a short lock held by another writer is waited out.
//  - kReadOnly (the server's readers): SQLITE_OPEN_READONLY plus
//    `PRAGMA query_only`, foreign keys on, the same busy timeout; never
//    creates the file (a missing file is NotFound).
// Opening does not touch the schema: see migrations.h (OpenForWriting runs
// the migrations, OpenForReading checks the version).
//
// Thread safety: a Database (and its Statements and Transactions) is used by
// one thread at a time; a pool of readers uses one Database per thread.
// Database is movable; Statements it handed out stay valid across a move,
// Transactions (which hold a pointer to it) must not be live during one.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/sqlite/statement.h"

struct sqlite3;

namespace kfuncdb::sqlite {

enum class OpenMode { kReadWrite, kReadOnly };

struct OpenOptions {
  // How long a statement waits for another connection's lock before failing
  // with Unavailable ("database is locked").
  std::chrono::milliseconds busy_timeout{5000};
};

class Database {
 public:
  // Errors: NotFound (read-only and the file does not exist),
  // PermissionDenied / FailedPrecondition (cannot open or create: the
  // message names the path and the OS reason), DataLoss (not a database).
  static absl::StatusOr<Database> Open(const std::filesystem::path& path, OpenMode mode,
                                       const OpenOptions& options = {});

  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more ';'-separated statements that return no rows we need
  // (schema scripts, PRAGMAs, BEGIN/COMMIT).
  absl::Status Execute(std::string_view sql);

  // A new statement, owned by the caller.
  absl::StatusOr<Statement> Prepare(std::string_view sql);

  // A statement prepared once per connection and cached by its SQL text:
  // for statements run once per row written or per request. The statement
  // is Reset (bindings cleared) each time it is handed out. The pointer
  // stays valid as long as this Database; do not hold it across another
  // Prepared() call with the same SQL in the same scope while iterating.
  absl::StatusOr<Statement*> Prepared(std::string_view sql);

  // Row id of the last successful INSERT on this connection.
  int64_t last_insert_rowid() const;
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t changes() const;
  // True while a transaction is open on this connection.
  bool in_transaction() const;

  const std::filesystem::path& path() const { return path_; }
  OpenMode mode() const { return mode_; }
  sqlite3* raw() const { return db_; }

 private:
  Database(sqlite3* db, std::filesystem::path path, OpenMode mode)
      : db_(db), path_(std::move(path)), mode_(mode) {}
  void Close();

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  OpenMode mode_ = OpenMode::kReadOnly;
  // Finalized before the connection closes (see Close()).
  absl::flat_hash_map<std::string, std::unique_ptr<Statement>> prepared_;
};

}  // namespace kfuncdb::sqlite
