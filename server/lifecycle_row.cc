#include "server/lifecycle_row.h"

#include "common/status_macros.h"
#include "server/query_support.h"

namespace kfuncdb::server {

absl::StatusOr<LifecycleRow> ReadLifecycleRow(const sqlite::Statement& stmt, int first_column) {
  const int c = first_column;
  LifecycleRow row;
  row.kfunc_name_id = stmt.ColumnInt64(c);
  row.introduced_in = stmt.ColumnInt64(c + 1);
  row.introduced_after = stmt.ColumnOptionalInt64(c + 2);
  row.introduced_exact = stmt.ColumnInt64(c + 3) != 0;
  row.last_present = stmt.ColumnInt64(c + 4);
  row.stability_known = stmt.ColumnInt64(c + 5) != 0;
  row.stable_since = stmt.ColumnOptionalInt64(c + 6);
  row.deprecated_since = stmt.ColumnOptionalInt64(c + 7);
  row.window_end = stmt.ColumnOptionalInt64(c + 8);
  row.earliest_removal = stmt.ColumnOptionalInt64(c + 9);
  row.removed_in = stmt.ColumnOptionalInt64(c + 10);
  row.removed_exact = stmt.ColumnInt64(c + 11) != 0;
  KFUNCDB_ASSIGN_OR_RETURN(row.status, KfuncStatusFromColumn(stmt.ColumnText(c + 12)));
  return row;
}

void LifecycleToProto(const LifecycleRow& row, const ServingLineage& lineage,
                      const ServingCatalog& catalog, v1::Lifecycle* out) {
  SetPoint(lineage, row.introduced_in, out->mutable_introduced_in());
  if (row.introduced_after) SetPoint(lineage, *row.introduced_after, out->mutable_introduced_after());
  out->set_introduced_exact(row.introduced_exact);
  SetPoint(lineage, row.last_present, out->mutable_last_present());
  out->set_stability_known(row.stability_known);
  if (row.stable_since) SetPoint(lineage, *row.stable_since, out->mutable_stable_since());
  if (row.deprecated_since) SetPoint(lineage, *row.deprecated_since, out->mutable_deprecated_since());
  if (row.window_end) SetCatalogRelease(catalog, *row.window_end, out->mutable_window_end());
  if (row.earliest_removal) {
    SetCatalogRelease(catalog, *row.earliest_removal, out->mutable_earliest_removal());
  }
  if (row.removed_in) SetPoint(lineage, *row.removed_in, out->mutable_removed_in());
  out->set_removed_exact(row.removed_exact);
  out->set_window_releases(catalog.policy().window_releases);
}

}  // namespace kfuncdb::server
