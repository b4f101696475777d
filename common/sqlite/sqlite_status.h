// Conversion of SQLite result codes into absl::Status at the edge of the
// sqlite wrapper, so no caller ever inspects a raw SQLite code. Messages name
// the database file and what was being done ("/var/db/k.db: BEGIN IMMEDIATE:
// database is locked (SQLITE_BUSY)").
//
// Mapping (on the primary code):
//   SQLITE_BUSY, SQLITE_LOCKED           -> Unavailable ("database is locked")
//   SQLITE_READONLY, SQLITE_PERM,
//   SQLITE_AUTH                          -> PermissionDenied
//   SQLITE_CANTOPEN                      -> PermissionDenied when the OS said
//                                           EACCES/EPERM/EROFS, else FailedPrecondition
//   SQLITE_FULL, SQLITE_NOMEM            -> ResourceExhausted
//   SQLITE_CORRUPT, SQLITE_NOTADB        -> DataLoss
//   SQLITE_CONSTRAINT, SQLITE_MISMATCH   -> FailedPrecondition
//   SQLITE_INTERRUPT, SQLITE_ABORT       -> Aborted
//   SQLITE_TOOBIG, SQLITE_RANGE          -> OutOfRange
//   anything else                        -> Internal
#pragma once

#include <string_view>

#include "absl/status/status.h"

struct sqlite3;

namespace kfuncdb::sqlite {

// The status for result code `code` returned by a call on connection `db`
// (may be null when the connection could not be allocated). `context` says
// what was being done: the SQL text, or "open", "BEGIN IMMEDIATE"...
// Returns OkStatus for SQLITE_OK, SQLITE_ROW and SQLITE_DONE.
absl::Status SqliteStatus(sqlite3* db, int code, std::string_view context);

// Same, for callers that already know the file name (open failures, where
// the connection may not know it).
absl::Status SqliteStatusForFile(std::string_view file, sqlite3* db, int code,
                                 std::string_view context);

}  // namespace kfuncdb::sqlite
