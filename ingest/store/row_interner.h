// RowInterner: find-or-insert of the store's deduplicated rows (names,
// prototypes) for one write transaction.
//
// Ids are memoized, but only for the life of one interner, which must not
// outlive the transaction it was used in: after a rollback a memoized id
// could point at a row that no longer exists.
//
// Thread safety: as the Database it writes to.
#pragma once

#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/sqlite/database.h"
#include "common/strong_id.h"

namespace kfuncdb::store {

class RowInterner {
 public:
  explicit RowInterner(sqlite::Database& db) : db_(db) {}

  // Id of `name` in `names`, inserting it when new.
  absl::StatusOr<NameRowId> Name(std::string_view name);

  // Id of `prototype` in `prototypes`, inserting it with `signature_hash`
  // when new. The prototype text is the identity; its hash is a function of
  // it, so an existing row's hash is kept.
  absl::StatusOr<PrototypeRowId> Prototype(std::string_view prototype,
                                           std::string_view signature_hash);

  int new_names() const { return new_names_; }
  int new_prototypes() const { return new_prototypes_; }

 private:
  sqlite::Database& db_;
  absl::flat_hash_map<std::string, NameRowId> names_;
  absl::flat_hash_map<std::string, PrototypeRowId> prototypes_;
  int new_names_ = 0;
  int new_prototypes_ = 0;
};

}  // namespace kfuncdb::store
