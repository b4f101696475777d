#include "common/sqlite/transaction.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace kfuncdb::sqlite {

absl::StatusOr<Transaction> Transaction::Begin(Database& db) {
  if (db.in_transaction()) {
    return absl::FailedPreconditionError(
        absl::StrCat(db.path().string(), ": a transaction is already open on this connection"));
  }
  KFUNCDB_RETURN_IF_ERROR(
      db.Execute(db.mode() == OpenMode::kReadWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  // SQLite may already have rolled back by itself (SQLITE_FULL, IOERR...);
  // ROLLBACK without a transaction would only produce an error to ignore.
  if (db_ != nullptr && db_->in_transaction()) {
    (void)db_->Execute("ROLLBACK");
  }
}

absl::Status Transaction::Commit() {
  if (db_ == nullptr) {
    return absl::FailedPreconditionError("transaction already committed");
  }
  KFUNCDB_RETURN_IF_ERROR(db_->Execute("COMMIT"));
  db_ = nullptr;
  return absl::OkStatus();
}

}  // namespace kfuncdb::sqlite
