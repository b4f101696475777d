// SqlRows: a query's rows as "a|b|c" strings (NULL as "-"), so lifecycle
// tests can compare whole table contents in one assertion. Failures to
// prepare or step are reported as test failures; the rows read so far are
// returned.
#pragma once

#include <string>
#include <vector>

#include "common/sqlite/database.h"

namespace kfuncdb::testing {

std::vector<std::string> SqlRows(sqlite::Database& db, const std::string& sql);

}  // namespace kfuncdb::testing
