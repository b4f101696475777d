// Statement: one prepared SQLite statement, owned (finalized on destruction).
//
// Parameters are bound by 1-based index, as in SQLite's SQL text (`?1`, or
// the n-th `?`); columns are read by 0-based index, as in a result row.
// std::optional maps to NULL both ways: binding nullopt binds NULL, and the
// Optional* column readers return nullopt for NULL.
//
// Typical use:
//   KFUNCDB_ASSIGN_OR_RETURN(Statement* stmt, db.Prepared("SELECT id FROM names WHERE name = ?"));
//   KFUNCDB_RETURN_IF_ERROR(stmt->BindAll(name));
//   KFUNCDB_ASSIGN_OR_RETURN(bool row, stmt->Step());
//   if (row) id = stmt->ColumnInt64(0);
//
// Thread safety: none; a Statement belongs to its Database's thread.
// A Statement must not outlive the Database it was prepared on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct sqlite3_stmt;

namespace kfuncdb::sqlite {

class Statement {
 public:
  // Takes ownership of a statement prepared with sqlite3_prepare_v2/v3.
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binders. Errors (index out of range, out of memory) name the SQL.
  absl::Status Bind(int index, int64_t value);
  absl::Status Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  absl::Status Bind(int index, uint32_t value) { return Bind(index, static_cast<int64_t>(value)); }
  absl::Status Bind(int index, bool value) { return Bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  absl::Status Bind(int index, double value);
  // Text is copied by SQLite (SQLITE_TRANSIENT): the view may die after the call.
  absl::Status Bind(int index, std::string_view value);
  absl::Status Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  absl::Status Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  absl::Status Bind(int index, std::nullopt_t);
  template <typename T>
  absl::Status Bind(int index, const std::optional<T>& value) {
    return value.has_value() ? Bind(index, *value) : Bind(index, std::nullopt);
  }
  // Binds the arguments to parameters 1, 2, ... in order.
  template <typename... Args>
  absl::Status BindAll(const Args&... args) {
    int index = 0;
    absl::Status status;
    (void)((status = Bind(++index, args), status.ok()) && ...);
    return status;
  }

  // Advances: true when a row is available, false when the statement is done.
  // On error the statement is reset; the status names the SQL.
  absl::StatusOr<bool> Step();
  // Steps a statement that returns no rows (INSERT, UPDATE...) to completion
  // and resets it. A row is an error (FailedPrecondition): the SQL was wrong.
  absl::Status Run();
  // Ready to run again; bindings are cleared (to NULL) as well.
  void Reset();

  // Column readers for the current row. Reading a NULL through a
  // non-optional reader gives 0 / "" (SQLite's conversion).
  int ColumnCount() const;
  bool ColumnIsNull(int column) const;
  int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  // Valid until the next Step/Reset of this statement.
  std::string_view ColumnText(int column) const;
  std::string ColumnString(int column) const { return std::string(ColumnText(column)); }
  std::optional<int64_t> ColumnOptionalInt64(int column) const;
  std::optional<std::string> ColumnOptionalString(int column) const;

  // The SQL text as prepared (for messages).
  std::string_view sql() const;
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  absl::Status BindResult(int code, int index);

  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace kfuncdb::sqlite
