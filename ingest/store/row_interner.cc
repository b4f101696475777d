#include "ingest/store/row_interner.h"

#include "common/status_macros.h"

namespace kfuncdb::store {
namespace {

// Looks `key` up with `select` (one parameter, returns the id), else runs
// `insert` (parameters bound by `bind_insert`) and returns the new row id.
template <typename BindInsert>
absl::StatusOr<int64_t> FindOrInsert(sqlite::Database& db, std::string_view select,
                                     std::string_view insert, std::string_view key,
                                     BindInsert bind_insert, bool& inserted) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * find, db.Prepared(select));
  KFUNCDB_RETURN_IF_ERROR(find->BindAll(key));
  KFUNCDB_ASSIGN_OR_RETURN(bool found, find->Step());
  if (found) {
    int64_t id = find->ColumnInt64(0);
    find->Reset();
    inserted = false;
    return id;
  }
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * add, db.Prepared(insert));
  KFUNCDB_RETURN_IF_ERROR(bind_insert(*add));
  KFUNCDB_RETURN_IF_ERROR(add->Run());
  inserted = true;
  return db.last_insert_rowid();
}

}  // namespace

absl::StatusOr<NameRowId> RowInterner::Name(std::string_view name) {
  if (auto it = names_.find(absl::string_view(name.data(), name.size())); it != names_.end()) return it->second;
  bool inserted = false;
  KFUNCDB_ASSIGN_OR_RETURN(
      int64_t id, FindOrInsert(
                      db_, "SELECT id FROM names WHERE name = ?",
                      "INSERT INTO names (name) VALUES (?)", name,
                      [&](sqlite::Statement& insert) { return insert.BindAll(name); }, inserted));
  new_names_ += inserted ? 1 : 0;
  names_.emplace(std::string(name), NameRowId(id));
  return NameRowId(id);
}

absl::StatusOr<PrototypeRowId> RowInterner::Prototype(std::string_view prototype,
                                                      std::string_view signature_hash) {
  if (auto it = prototypes_.find(absl::string_view(prototype.data(), prototype.size())); it != prototypes_.end()) return it->second;
  bool inserted = false;
  KFUNCDB_ASSIGN_OR_RETURN(
      int64_t id,
      FindOrInsert(db_, "SELECT id FROM prototypes WHERE prototype = ?",
                   "INSERT INTO prototypes (prototype, signature_hash) VALUES (?, ?)", prototype,
                   [&](sqlite::Statement& insert) {
                     return insert.BindAll(prototype, signature_hash);
                   },
                   inserted));
  new_prototypes_ += inserted ? 1 : 0;
  prototypes_.emplace(std::string(prototype), PrototypeRowId(id));
  return PrototypeRowId(id);
}

}  // namespace kfuncdb::store
