// Lifecycle rows: one kfunc's derived lifecycle in one lineage as the rows
// of migrations/0002_lifecycle.sql hold it (kfunc_lifecycle, the *_runs
// tables, kfunc_availability, violations, conflicts), read back from the
// store or made from a fresh derivation, and the writes that turn the
// stored rows into the derived ones.
//
// Why compare instead of delete-and-rewrite: most re-derivations change
// little. A build that opens a new point extends every kfunc's last status
// run (and its last flag/prototype run, availability and last_present) by
// one point: a handful of UPDATEs over the whole lineage rather than
// deleting and re-inserting every row of it. What readers see afterwards is
// the same rows either way; only violation and conflict ids, which carry no
// meaning, are kept where their rows do not change.
//
// Thread safety: as sqlite::Database (one thread per connection).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/lifecycle.h"
#include "common/sqlite/database.h"
#include "common/strong_id.h"

namespace kfuncdb::store {

// Runs keyed by from_point (part of the tables' primary key): to_point and
// the run's value.
template <typename Value>
using RunRows = std::map<int64_t, std::pair<int64_t, Value>>;

struct LifecycleRows {
  // kfunc_lifecycle: introduced_in .. removed_exact in column order (bools
  // as 0/1), then status. nullopt main: no row.
  std::optional<std::pair<std::array<std::optional<int64_t>, 11>, std::string>> main;
  RunRows<std::string> status_runs;
  RunRows<std::optional<int64_t>> flag_runs;
  RunRows<int64_t> prototype_runs;
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> availability;  // (arch, flavour)
  std::vector<std::tuple<std::string, int64_t, std::string>> violations;  // kind, point, detail; sorted
  std::vector<std::tuple<int64_t, std::string, std::string>> conflicts;   // point, kind, detail; sorted
};

using LifecycleRowsByKfunc = absl::flat_hash_map<int64_t, LifecycleRows>;

// The rows a derivation stands for.
LifecycleRows ToLifecycleRows(const KfuncLifecycle& lifecycle);

// The stored rows of `lineage`, of one kfunc when `kfunc` is set. Kfuncs
// without rows are absent from the map.
absl::StatusOr<LifecycleRowsByKfunc> LoadLifecycleRows(sqlite::Database& db, LineageRowId lineage,
                                                       std::optional<NameRowId> kfunc);

// Turns stored rows into derived ones, kfunc by kfunc, with as few
// statement executions as it can: rows equal on both sides are not
// touched. The change a new point brings to most kfuncs (a run or an
// availability span ending one point later, last_present moving) is not
// written at once but gathered, and Flush() applies each kind of it as one
// UPDATE over all the kfuncs that share it. Call Flush() before reading the
// tables again; a writer dropped without Flush() leaves them half-updated
// (the caller's transaction must then be rolled back).
class LifecycleRowWriter {
 public:
  LifecycleRowWriter(sqlite::Database& db, LineageRowId lineage) : db_(db), lineage_(lineage) {}

  // `stored`: the kfunc's rows now (empty when none); `derived`: the rows
  // it must have.
  absl::Status Write(NameRowId kfunc, const LifecycleRows& stored, const LifecycleRows& derived);
  absl::Status Flush();

 private:
  template <typename Value>
  absl::Status WriteRuns(const char* table, const char* value_column, int64_t kfunc, const RunRows<Value>& stored,
                         const RunRows<Value>& derived);
  absl::Status WriteMain(int64_t kfunc, const LifecycleRows& stored, const LifecycleRows& derived);
  absl::Status WriteAvailability(int64_t kfunc, const LifecycleRows& stored, const LifecycleRows& derived);

  sqlite::Database& db_;
  LineageRowId lineage_;
  // Kfuncs whose one run in `table` ending at `old` now ends at `new` >
  // `old` (runs of one kfunc never overlap, so the old end finds the run).
  std::map<std::tuple<const char*, int64_t, int64_t>, std::vector<int64_t>> run_ends_;
  // Kfuncs whose availability for (arch, flavour) now ends at `new`.
  std::map<std::tuple<std::string, std::string, int64_t>, std::vector<int64_t>> availability_ends_;
  // Kfuncs whose kfunc_lifecycle row differs only in column `index`, now `value`.
  std::map<std::pair<int, int64_t>, std::vector<int64_t>> main_columns_;
};

}  // namespace kfuncdb::store
