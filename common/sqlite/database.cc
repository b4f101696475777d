#include "common/sqlite/database.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "common/sqlite/sqlite_status.h"
#include "common/status_macros.h"

namespace kfuncdb::sqlite {

absl::StatusOr<Database> Database::Open(const std::filesystem::path& path, OpenMode mode,
                                        const OpenOptions& options) {
  const std::string file = path.string();
  if (mode == OpenMode::kReadOnly) {
    // SQLite's own message ("unable to open database file") does not say
    // that the file is simply missing; the reader deserves that.
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return absl::NotFoundError(absl::StrCat(file, ": no such database file"));
    }
  }
  if (mode == OpenMode::kReadWrite) {
    // On a read-only file system SQLite fails later, creating the -shm file,
    // with "unable to open database file [No such file or directory]"; say
    // what is wrong instead.
    std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    if (::access(dir.c_str(), W_OK) != 0 && errno == EROFS) {
      return absl::PermissionDeniedError(
          absl::StrCat(file, ": open for writing: the file system is read-only"));
    }
  }
  // NOMUTEX: the contract is one thread at a time per connection, so
  // SQLite's per-connection mutex is pure overhead.
  int flags = SQLITE_OPEN_NOMUTEX |
              (mode == OpenMode::kReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                            : SQLITE_OPEN_READONLY);
  sqlite3* raw = nullptr;
  int code = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  // From here `db` owns the handle, so every error path closes it.
  Database db(raw, path, mode);
  if (code != SQLITE_OK) {
    return SqliteStatusForFile(file, raw, code,
                               mode == OpenMode::kReadWrite ? "open for writing"
                                                            : "open read-only");
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
  KFUNCDB_RETURN_IF_ERROR(db.Execute("PRAGMA foreign_keys = ON"));
  if (mode == OpenMode::kReadWrite) {
    // journal_mode returns a row; Execute ignores it. WAL is persistent in
    // the file, so readers opened later see it too. This is also the first
    // real read of the file: a non-database fails here with DataLoss.
    KFUNCDB_RETURN_IF_ERROR(db.Execute("PRAGMA journal_mode = WAL"));
    KFUNCDB_RETURN_IF_ERROR(db.Execute("PRAGMA synchronous = NORMAL"));
  } else {
    KFUNCDB_RETURN_IF_ERROR(db.Execute("PRAGMA query_only = ON"));
    // Read the header now so a file that is not a database fails at open.
    KFUNCDB_RETURN_IF_ERROR(db.Execute("SELECT count(*) FROM sqlite_schema"));
  }
  return db;
}

Database::~Database() { Close(); }

Database::Database(Database&& other) noexcept
    : db_(other.db_),
      path_(std::move(other.path_)),
      mode_(other.mode_),
      prepared_(std::move(other.prepared_)) {
  other.db_ = nullptr;
  other.prepared_.clear();
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = other.db_;
    path_ = std::move(other.path_);
    mode_ = other.mode_;
    prepared_ = std::move(other.prepared_);
    other.db_ = nullptr;
    other.prepared_.clear();
  }
  return *this;
}

void Database::Close() {
  prepared_.clear();  // statements first: close_v2 would otherwise linger as a zombie
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

absl::Status Database::Execute(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec needs NUL termination
  int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  return SqliteStatus(db_, code, sql);
}

absl::StatusOr<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int code = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (code != SQLITE_OK) return SqliteStatus(db_, code, sql);
  if (stmt == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path_.string(), ": no SQL statement in \"", std::string(sql), "\""));
  }
  return Statement(stmt);
}

absl::StatusOr<Statement*> Database::Prepared(std::string_view sql) {
  auto it = prepared_.find(absl::string_view(sql.data(), sql.size()));
  if (it == prepared_.end()) {
    KFUNCDB_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
    it = prepared_.emplace(std::string(sql), std::make_unique<Statement>(std::move(stmt))).first;
  }
  it->second->Reset();
  return it->second.get();
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int64_t Database::changes() const { return sqlite3_changes64(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace kfuncdb::sqlite
