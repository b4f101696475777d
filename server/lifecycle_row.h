// LifecycleRow: one kfunc_lifecycle row as read by the query classes, and
// its conversion to the API's Lifecycle message. Point ordinals are the
// lineage's; window ordinals are the release catalog's (see
// migrations/0002_lifecycle.sql).
#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "common/sqlite/statement.h"
#include "proto/kfuncdb/v1/resources.pb.h"
#include "server/serving_catalog.h"

namespace kfuncdb::server {

// The columns ReadLifecycleRow expects, in order, for "SELECT ... FROM
// kfunc_lifecycle lc": paste into the statement's literal SQL.
#define KFUNCDB_LIFECYCLE_COLUMNS                                                   \
  " lc.kfunc_name_id, lc.introduced_in, lc.introduced_after, lc.introduced_exact, " \
  "lc.last_present, lc.stability_known, lc.stable_since, lc.deprecated_since, "     \
  "lc.window_end_release, lc.earliest_removal_release, lc.removed_in, "             \
  "lc.removed_exact, lc.status "
inline constexpr int kLifecycleColumnCount = 13;

struct LifecycleRow {
  int64_t kfunc_name_id = 0;
  int64_t introduced_in = 0;
  std::optional<int64_t> introduced_after;
  bool introduced_exact = false;
  int64_t last_present = 0;
  bool stability_known = false;
  std::optional<int64_t> stable_since;
  std::optional<int64_t> deprecated_since;
  std::optional<int64_t> window_end;
  std::optional<int64_t> earliest_removal;
  std::optional<int64_t> removed_in;
  bool removed_exact = false;
  // Status at the lineage's newest point with builds.
  v1::KfuncStatus status = v1::KFUNC_STATUS_UNSPECIFIED;
};

// Reads the KFUNCDB_LIFECYCLE_COLUMNS starting at `first_column` of the
// current row. DataLoss for a status the schema does not allow.
absl::StatusOr<LifecycleRow> ReadLifecycleRow(const sqlite::Statement& stmt, int first_column);

void LifecycleToProto(const LifecycleRow& row, const ServingLineage& lineage,
                      const ServingCatalog& catalog, v1::Lifecycle* out);

}  // namespace kfuncdb::server
