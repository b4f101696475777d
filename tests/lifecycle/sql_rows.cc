#include "tests/lifecycle/sql_rows.h"

#include <gtest/gtest.h>

#include "absl/strings/str_join.h"

namespace kfuncdb::testing {

std::vector<std::string> SqlRows(sqlite::Database& db, const std::string& sql) {
  std::vector<std::string> rows;
  absl::StatusOr<sqlite::Statement> statement = db.Prepare(sql);
  EXPECT_TRUE(statement.ok()) << statement.status();
  if (!statement.ok()) return rows;
  while (true) {
    absl::StatusOr<bool> row = statement->Step();
    EXPECT_TRUE(row.ok()) << row.status();
    if (!row.ok() || !*row) break;
    std::vector<std::string> columns;
    for (int c = 0; c < statement->ColumnCount(); ++c) {
      columns.push_back(statement->ColumnIsNull(c) ? "-" : statement->ColumnString(c));
    }
    rows.push_back(absl::StrJoin(columns, "|"));
  }
  return rows;
}

}  // namespace kfuncdb::testing
