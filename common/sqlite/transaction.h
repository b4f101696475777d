// Transaction: a scope in which statements on one Database commit together
// or not at all.
//
// Begin() opens BEGIN IMMEDIATE on a read-write Database (the write lock is
// taken up front, so a second writer fails or waits at Begin, never halfway
// through) and BEGIN DEFERRED on a read-only one (a consistent snapshot from
// the first read). Destroying a Transaction that was not committed rolls it
// back, so an early `return status;` leaves nothing half written.
//
// Transactions do not nest: Begin() on a Database that is already inside a
// transaction is FailedPrecondition. Code that must run inside the caller's
// transaction (e.g. lifecycle upkeep) checks Database::in_transaction().
//
// Thread safety: as Database. The Database must outlive the Transaction and
// must not be moved while it is live.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/sqlite/database.h"

namespace kfuncdb::sqlite {

class Transaction {
 public:
  // Errors: Unavailable when another connection holds the write lock past
  // the busy timeout; FailedPrecondition when already in a transaction.
  static absl::StatusOr<Transaction> Begin(Database& db);

  ~Transaction();
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Commits. On error the transaction stays open and is rolled back by the
  // destructor. Calling Commit twice is FailedPrecondition.
  absl::Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}

  Database* db_;  // null once committed or moved from
};

}  // namespace kfuncdb::sqlite
