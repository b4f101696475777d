#include "common/sqlite/sqlite_status.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <sqlite3.h>

#include "absl/strings/str_cat.h"

namespace kfuncdb::sqlite {
namespace {

// SQL text can be long (migrations): keep messages readable.
std::string ShortContext(std::string_view context) {
  constexpr size_t kMaxContext = 200;
  std::string text(context.substr(0, kMaxContext));
  for (char& c : text) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (context.size() > kMaxContext) text += "...";
  return text;
}

absl::StatusCode CodeFor(sqlite3* db, int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::StatusCode::kUnavailable;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::StatusCode::kPermissionDenied;
    case SQLITE_CANTOPEN: {
      int os_error = db != nullptr ? sqlite3_system_errno(db) : 0;
      if (os_error == EACCES || os_error == EPERM || os_error == EROFS) {
        return absl::StatusCode::kPermissionDenied;
      }
      return absl::StatusCode::kFailedPrecondition;
    }
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
      return absl::StatusCode::kFailedPrecondition;
    case SQLITE_INTERRUPT:
    case SQLITE_ABORT:
      return absl::StatusCode::kAborted;
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return absl::StatusCode::kOutOfRange;
    default:
      return absl::StatusCode::kInternal;
  }
}

}  // namespace

absl::Status SqliteStatusForFile(std::string_view file, sqlite3* db, int code,
                                 std::string_view context) {
  if (code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE) {
    return absl::OkStatus();
  }
  // The connection's message is more specific than sqlite3_errstr() (it
  // names the constraint or the missing table) when it is about this call.
  std::string detail = (db != nullptr && sqlite3_errcode(db) == code)
                           ? sqlite3_errmsg(db)
                           : sqlite3_errstr(code);
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
    detail = "database is locked (another process holds a write lock)";
  }
  std::string message =
      absl::StrCat(file.empty() ? std::string("<memory>") : std::string(file), ": ", ShortContext(context), ": ",
                   detail, " (sqlite code ", code, ")");
  // The OS error tells "No space left on device" from other I/O errors (a
  // full disk surfaces as SQLITE_IOERR_SHMSIZE or _WRITE, not SQLITE_FULL,
  // when the -shm or -wal file cannot grow).
  if (((code & 0xff) == SQLITE_CANTOPEN || (code & 0xff) == SQLITE_IOERR) && db != nullptr &&
      sqlite3_system_errno(db) != 0) {
    absl::StrAppend(&message, " [", std::strerror(sqlite3_system_errno(db)), "]");
  }
  return absl::Status(CodeFor(db, code), message);
}

absl::Status SqliteStatus(sqlite3* db, int code, std::string_view context) {
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  return SqliteStatusForFile(file != nullptr ? file : "", db, code, context);
}

}  // namespace kfuncdb::sqlite
