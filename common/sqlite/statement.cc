#include "common/sqlite/statement.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "common/sqlite/sqlite_status.h"

namespace kfuncdb::sqlite {

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

absl::Status Statement::BindResult(int code, int index) {
  if (code == SQLITE_OK) return absl::OkStatus();
  return SqliteStatus(sqlite3_db_handle(stmt_), code,
                      absl::StrCat("binding parameter ", index, " of ", std::string(sql())));
}

absl::Status Statement::Bind(int index, int64_t value) {
  return BindResult(sqlite3_bind_int64(stmt_, index, value), index);
}

absl::Status Statement::Bind(int index, double value) {
  return BindResult(sqlite3_bind_double(stmt_, index, value), index);
}

absl::Status Statement::Bind(int index, std::string_view value) {
  return BindResult(sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                                        SQLITE_TRANSIENT, SQLITE_UTF8),
                    index);
}

absl::Status Statement::Bind(int index, std::nullopt_t) {
  return BindResult(sqlite3_bind_null(stmt_, index), index);
}

absl::StatusOr<bool> Statement::Step() {
  int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  absl::Status status = SqliteStatus(sqlite3_db_handle(stmt_), code, sql());
  sqlite3_reset(stmt_);
  return status;
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  Reset();
  if (*row) {
    return absl::FailedPreconditionError(
        absl::StrCat("statement returned a row where none was expected: ", std::string(sql())));
  }
  return absl::OkStatus();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::ColumnInt64(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::ColumnDouble(int column) const { return sqlite3_column_double(stmt_, column); }

std::string_view Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<int64_t> Statement::ColumnOptionalInt64(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnInt64(column);
}

std::optional<std::string> Statement::ColumnOptionalString(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnString(column);
}

std::string_view Statement::sql() const {
  const char* text = sqlite3_sql(stmt_);
  return text != nullptr ? std::string_view(text) : std::string_view();
}

}  // namespace kfuncdb::sqlite
