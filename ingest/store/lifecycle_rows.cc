#include "ingest/store/lifecycle_rows.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sqlite/statement.h"
#include "common/status_macros.h"

namespace kfuncdb::store {
namespace {

std::optional<int64_t> Optional(const std::optional<PointOrdinal>& point) {
  return point ? std::optional<int64_t>(point->value()) : std::nullopt;
}
std::optional<int64_t> Optional(const std::optional<ReleaseOrdinal>& release) {
  return release ? std::optional<int64_t>(release->value()) : std::nullopt;
}

// " AND kfunc_name_id = ?2" when reading one kfunc.
const char* KfuncFilter(std::optional<NameRowId> kfunc) { return kfunc ? " AND kfunc_name_id = ?2" : ""; }

// Prepares `sql` (which reads the lineage as ?1 and, filtered, the kfunc as
// ?2), binds, and calls `read` on each row.
template <typename Read>
absl::Status ForEachRow(sqlite::Database& db, const std::string& sql, LineageRowId lineage,
                        std::optional<NameRowId> kfunc, Read read) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * select, db.Prepared(sql));
  KFUNCDB_RETURN_IF_ERROR(select->Bind(1, lineage.value()));
  if (kfunc) KFUNCDB_RETURN_IF_ERROR(select->Bind(2, kfunc->value()));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    read(*select);
  }
  return absl::OkStatus();
}

// Runs a statement with `args` bound in order.
template <typename... Args>
absl::Status RunSql(sqlite::Database& db, const std::string& sql, const Args&... args) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * statement, db.Prepared(sql));
  KFUNCDB_RETURN_IF_ERROR(statement->BindAll(args...));
  return statement->Run();
}

// kfunc_lifecycle's columns after the key, in LifecycleRows::main order.
constexpr const char* kMainColumns[] = {
    "introduced_in",  "introduced_after", "introduced_exact",         "last_present",
    "stability_known", "stable_since",    "deprecated_since",         "window_end_release",
    "earliest_removal_release", "removed_in", "removed_exact",
};

// Kfunc ids as the JSON array a statement's `IN (SELECT value FROM
// json_each(?))` reads: one cached statement whatever the ids, rather than
// a list inlined and parsed anew each time.
std::string IdArray(const std::vector<int64_t>& ids) { return absl::StrCat("[", absl::StrJoin(ids, ","), "]"); }

// Violations and conflicts have no natural key: when the kfunc's set
// differs, its rows are replaced.
absl::Status WriteFindingChanges(sqlite::Database& db, int64_t lineage, int64_t kfunc, const LifecycleRows& stored,
                                 const LifecycleRows& derived) {
  if (stored.violations != derived.violations) {
    KFUNCDB_RETURN_IF_ERROR(
        RunSql(db, "DELETE FROM violations WHERE lineage_id = ? AND kfunc_name_id = ?", lineage, kfunc));
    for (const auto& [kind, point, detail] : derived.violations) {
      KFUNCDB_RETURN_IF_ERROR(RunSql(
          db, "INSERT INTO violations (lineage_id, kfunc_name_id, kind, point, detail) VALUES (?, ?, ?, ?, ?)",
          lineage, kfunc, kind, point, detail));
    }
  }
  if (stored.conflicts != derived.conflicts) {
    KFUNCDB_RETURN_IF_ERROR(
        RunSql(db, "DELETE FROM conflicts WHERE lineage_id = ? AND kfunc_name_id = ?", lineage, kfunc));
    for (const auto& [point, kind, detail] : derived.conflicts) {
      KFUNCDB_RETURN_IF_ERROR(RunSql(
          db, "INSERT INTO conflicts (lineage_id, kfunc_name_id, point, kind, detail) VALUES (?, ?, ?, ?, ?)",
          lineage, kfunc, point, kind, detail));
    }
  }
  return absl::OkStatus();
}

}  // namespace

template <typename Value>
absl::Status LifecycleRowWriter::WriteRuns(const char* table, const char* value_column, int64_t kfunc,
                                           const RunRows<Value>& stored, const RunRows<Value>& derived) {
  const int64_t lineage = lineage_.value();
  for (const auto& [from, run] : stored) {
    if (derived.contains(from)) continue;
    KFUNCDB_RETURN_IF_ERROR(RunSql(
        db_, absl::StrCat("DELETE FROM ", table, " WHERE lineage_id = ? AND kfunc_name_id = ? AND from_point = ?"),
        lineage, kfunc, from));
  }
  for (const auto& [from, run] : derived) {
    auto it = stored.find(from);
    if (it == stored.end()) {
      KFUNCDB_RETURN_IF_ERROR(RunSql(db_,
                                     absl::StrCat("INSERT INTO ", table, " (lineage_id, kfunc_name_id, from_point,"
                                                  " to_point, ",
                                                  value_column, ") VALUES (?, ?, ?, ?, ?)"),
                                     lineage, kfunc, from, run.first, run.second));
    } else if (it->second.second == run.second && it->second.first < run.first) {
      // Only a run growing is deferred: its old end then lies inside it, so
      // no other run of the kfunc can end there. A shrinking run's old end
      // may be the end of a run written above.
      run_ends_[{table, it->second.first, run.first}].push_back(kfunc);
    } else if (it->second != run) {
      KFUNCDB_RETURN_IF_ERROR(RunSql(db_,
                                     absl::StrCat("UPDATE ", table, " SET to_point = ?, ", value_column,
                                                  " = ? WHERE lineage_id = ? AND kfunc_name_id = ?"
                                                  " AND from_point = ?"),
                                     run.first, run.second, lineage, kfunc, from));
    }
  }
  return absl::OkStatus();
}

absl::Status LifecycleRowWriter::WriteMain(int64_t kfunc, const LifecycleRows& stored, const LifecycleRows& derived) {
  if (stored.main == derived.main) return absl::OkStatus();
  if (!derived.main) {
    return RunSql(db_, "DELETE FROM kfunc_lifecycle WHERE lineage_id = ? AND kfunc_name_id = ?", lineage_.value(),
                  kfunc);
  }
  const auto& [c, status] = *derived.main;
  if (stored.main && stored.main->second == status) {
    int differing = -1, count = 0;
    for (int i = 0; i < static_cast<int>(c.size()); ++i) {
      if (stored.main->first[i] != c[i]) differing = i, ++count;
    }
    if (count == 1 && c[differing]) {
      main_columns_[{differing, *c[differing]}].push_back(kfunc);
      return absl::OkStatus();
    }
  }
  return RunSql(db_,
                "INSERT OR REPLACE INTO kfunc_lifecycle (lineage_id, kfunc_name_id, introduced_in, introduced_after,"
                " introduced_exact, last_present, stability_known, stable_since, deprecated_since,"
                " window_end_release, earliest_removal_release, removed_in, removed_exact, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                lineage_.value(), kfunc, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], status);
}

absl::Status LifecycleRowWriter::WriteAvailability(int64_t kfunc, const LifecycleRows& stored,
                                                   const LifecycleRows& derived) {
  const int64_t lineage = lineage_.value();
  for (const auto& [variant, span] : stored.availability) {
    if (derived.availability.contains(variant)) continue;
    KFUNCDB_RETURN_IF_ERROR(RunSql(db_,
                                   "DELETE FROM kfunc_availability WHERE lineage_id = ? AND kfunc_name_id = ?"
                                   " AND arch = ? AND flavour = ?",
                                   lineage, kfunc, variant.first, variant.second));
  }
  for (const auto& [variant, span] : derived.availability) {
    auto it = stored.availability.find(variant);
    if (it != stored.availability.end() && it->second == span) continue;
    if (it != stored.availability.end() && it->second.first == span.first) {
      availability_ends_[{variant.first, variant.second, span.second}].push_back(kfunc);
      continue;
    }
    KFUNCDB_RETURN_IF_ERROR(RunSql(db_,
                                   "INSERT OR REPLACE INTO kfunc_availability (lineage_id, kfunc_name_id, arch,"
                                   " flavour, first_point, last_point) VALUES (?, ?, ?, ?, ?, ?)",
                                   lineage, kfunc, variant.first, variant.second, span.first, span.second));
  }
  return absl::OkStatus();
}

absl::Status LifecycleRowWriter::Write(NameRowId kfunc, const LifecycleRows& stored, const LifecycleRows& derived) {
  const int64_t k = kfunc.value();
  KFUNCDB_RETURN_IF_ERROR(WriteMain(k, stored, derived));
  KFUNCDB_RETURN_IF_ERROR(WriteRuns("kfunc_status_runs", "status", k, stored.status_runs, derived.status_runs));
  KFUNCDB_RETURN_IF_ERROR(WriteRuns("kfunc_flag_runs", "flags", k, stored.flag_runs, derived.flag_runs));
  KFUNCDB_RETURN_IF_ERROR(
      WriteRuns("kfunc_prototype_runs", "prototype_id", k, stored.prototype_runs, derived.prototype_runs));
  KFUNCDB_RETURN_IF_ERROR(WriteAvailability(k, stored, derived));
  return WriteFindingChanges(db_, lineage_.value(), k, stored, derived);
}

absl::Status LifecycleRowWriter::Flush() {
  const int64_t lineage = lineage_.value();
  for (const auto& [key, kfuncs] : run_ends_) {
    const auto& [table, old_end, new_end] = key;
    KFUNCDB_RETURN_IF_ERROR(RunSql(db_,
                                   absl::StrCat("UPDATE ", table, " SET to_point = ?1 WHERE lineage_id = ?2"
                                                " AND to_point = ?3 AND kfunc_name_id IN"
                                                " (SELECT value FROM json_each(?4))"),
                                   new_end, lineage, old_end, IdArray(kfuncs)));
  }
  for (const auto& [key, kfuncs] : availability_ends_) {
    const auto& [arch, flavour, new_end] = key;
    KFUNCDB_RETURN_IF_ERROR(RunSql(db_,
                                   "UPDATE kfunc_availability SET last_point = ?1 WHERE lineage_id = ?2"
                                   " AND arch = ?3 AND flavour = ?4 AND kfunc_name_id IN"
                                   " (SELECT value FROM json_each(?5))",
                                   new_end, lineage, arch, flavour, IdArray(kfuncs)));
  }
  for (const auto& [key, kfuncs] : main_columns_) {
    const auto& [column, value] = key;
    KFUNCDB_RETURN_IF_ERROR(RunSql(db_,
                                   absl::StrCat("UPDATE kfunc_lifecycle SET ", kMainColumns[column],
                                                " = ?1 WHERE lineage_id = ?2 AND kfunc_name_id IN"
                                                " (SELECT value FROM json_each(?3))"),
                                   value, lineage, IdArray(kfuncs)));
  }
  run_ends_.clear();
  availability_ends_.clear();
  main_columns_.clear();
  return absl::OkStatus();
}

LifecycleRows ToLifecycleRows(const KfuncLifecycle& lifecycle) {
  LifecycleRows rows;
  rows.main.emplace(
      std::array<std::optional<int64_t>, 11>{
          lifecycle.introduced_in.value(), Optional(lifecycle.introduced_after), int64_t{lifecycle.introduced_exact},
          lifecycle.last_present.value(), int64_t{lifecycle.stability_known}, Optional(lifecycle.stable_since),
          Optional(lifecycle.deprecated_since), Optional(lifecycle.window_end), Optional(lifecycle.earliest_removal),
          Optional(lifecycle.removed_in), int64_t{lifecycle.removed_exact}},
      std::string(LifecycleStatusName(lifecycle.status)));
  for (const StatusRun& run : lifecycle.status_runs) {
    rows.status_runs[run.from.value()] = {run.to.value(), std::string(LifecycleStatusName(run.status))};
  }
  for (const FlagRun& run : lifecycle.flag_runs) {
    rows.flag_runs[run.from.value()] = {
        run.to.value(), run.flags ? std::optional<int64_t>(*run.flags) : std::nullopt};
  }
  for (const PrototypeRun& run : lifecycle.prototype_runs) {
    rows.prototype_runs[run.from.value()] = {run.to.value(), run.prototype.value()};
  }
  for (const Availability& seen : lifecycle.availability) {
    rows.availability[{seen.variant.arch, seen.variant.flavour}] = {seen.first.value(), seen.last.value()};
  }
  for (const Violation& violation : lifecycle.violations) {
    rows.violations.emplace_back(std::string(ViolationKindName(violation.kind)), violation.point.value(),
                                 violation.detail);
  }
  for (const Conflict& conflict : lifecycle.conflicts) {
    rows.conflicts.emplace_back(conflict.point.value(), std::string(ConflictKindName(conflict.kind)),
                                conflict.detail);
  }
  std::sort(rows.violations.begin(), rows.violations.end());
  std::sort(rows.conflicts.begin(), rows.conflicts.end());
  return rows;
}

absl::StatusOr<LifecycleRowsByKfunc> LoadLifecycleRows(sqlite::Database& db, LineageRowId lineage,
                                                       std::optional<NameRowId> kfunc) {
  LifecycleRowsByKfunc rows;
  const char* filter = KfuncFilter(kfunc);
  KFUNCDB_RETURN_IF_ERROR(ForEachRow(
      db,
      absl::StrCat("SELECT kfunc_name_id, introduced_in, introduced_after, introduced_exact, last_present,"
                   " stability_known, stable_since, deprecated_since, window_end_release,"
                   " earliest_removal_release, removed_in, removed_exact, status FROM kfunc_lifecycle"
                   " WHERE lineage_id = ?1",
                   filter),
      lineage, kfunc, [&](const sqlite::Statement& row) {
        auto& main = rows[row.ColumnInt64(0)].main.emplace();
        for (int i = 0; i < 11; ++i) main.first[i] = row.ColumnOptionalInt64(i + 1);
        main.second = row.ColumnString(12);
      }));
  KFUNCDB_RETURN_IF_ERROR(ForEachRow(
      db,
      absl::StrCat("SELECT kfunc_name_id, from_point, to_point, status FROM kfunc_status_runs WHERE lineage_id = ?1",
                   filter),
      lineage, kfunc, [&](const sqlite::Statement& row) {
        rows[row.ColumnInt64(0)].status_runs[row.ColumnInt64(1)] = {row.ColumnInt64(2), row.ColumnString(3)};
      }));
  KFUNCDB_RETURN_IF_ERROR(ForEachRow(
      db,
      absl::StrCat("SELECT kfunc_name_id, from_point, to_point, flags FROM kfunc_flag_runs WHERE lineage_id = ?1",
                   filter),
      lineage, kfunc, [&](const sqlite::Statement& row) {
        rows[row.ColumnInt64(0)].flag_runs[row.ColumnInt64(1)] = {row.ColumnInt64(2), row.ColumnOptionalInt64(3)};
      }));
  KFUNCDB_RETURN_IF_ERROR(ForEachRow(
      db,
      absl::StrCat("SELECT kfunc_name_id, from_point, to_point, prototype_id FROM kfunc_prototype_runs"
                   " WHERE lineage_id = ?1",
                   filter),
      lineage, kfunc, [&](const sqlite::Statement& row) {
        rows[row.ColumnInt64(0)].prototype_runs[row.ColumnInt64(1)] = {row.ColumnInt64(2), row.ColumnInt64(3)};
      }));
  KFUNCDB_RETURN_IF_ERROR(ForEachRow(
      db,
      absl::StrCat("SELECT kfunc_name_id, arch, flavour, first_point, last_point FROM kfunc_availability"
                   " WHERE lineage_id = ?1",
                   filter),
      lineage, kfunc, [&](const sqlite::Statement& row) {
        rows[row.ColumnInt64(0)].availability[{row.ColumnString(1), row.ColumnString(2)}] = {row.ColumnInt64(3),
                                                                                             row.ColumnInt64(4)};
      }));
  KFUNCDB_RETURN_IF_ERROR(ForEachRow(
      db, absl::StrCat("SELECT kfunc_name_id, kind, point, detail FROM violations WHERE lineage_id = ?1", filter),
      lineage, kfunc, [&](const sqlite::Statement& row) {
        rows[row.ColumnInt64(0)].violations.emplace_back(row.ColumnString(1), row.ColumnInt64(2),
                                                         row.ColumnString(3));
      }));
  KFUNCDB_RETURN_IF_ERROR(ForEachRow(
      db, absl::StrCat("SELECT kfunc_name_id, point, kind, detail FROM conflicts WHERE lineage_id = ?1", filter),
      lineage, kfunc, [&](const sqlite::Statement& row) {
        rows[row.ColumnInt64(0)].conflicts.emplace_back(row.ColumnInt64(1), row.ColumnString(2),
                                                        row.ColumnString(3));
      }));
  for (auto& [name, kfunc_rows] : rows) {
    std::sort(kfunc_rows.violations.begin(), kfunc_rows.violations.end());
    std::sort(kfunc_rows.conflicts.begin(), kfunc_rows.conflicts.end());
  }
  return rows;
}

}  // namespace kfuncdb::store
