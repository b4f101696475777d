#include "server/query_support.h"

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"

namespace kfuncdb::server {

absl::StatusOr<v1::KfuncStatus> KfuncStatusFromColumn(std::string_view column) {
  if (column == "unstable") return v1::KFUNC_STATUS_UNSTABLE;
  if (column == "stable") return v1::KFUNC_STATUS_STABLE;
  if (column == "deprecated") return v1::KFUNC_STATUS_DEPRECATED;
  if (column == "removed") return v1::KFUNC_STATUS_REMOVED;
  if (column == "unknown") return v1::KFUNC_STATUS_UNKNOWN;
  return absl::DataLossError(absl::StrCat("status column: unknown status '", ToAbsl(column), "'"));
}

namespace {

struct ViolationName {
  v1::ViolationKind kind;
  std::string_view column;
};
constexpr ViolationName kViolationNames[] = {
    {v1::VIOLATION_KIND_REMOVED_BEFORE_WINDOW_END, "removed_before_window_end"},
    {v1::VIOLATION_KIND_STABLE_REMOVED_WITHOUT_DEPRECATION, "stable_removed_without_deprecation"},
    {v1::VIOLATION_KIND_PROTOTYPE_CHANGED_WHILE_STABLE, "prototype_changed_while_stable"},
    {v1::VIOLATION_KIND_STABLE_CLEARED_WITHOUT_DEPRECATION, "stable_cleared_without_deprecation"},
    {v1::VIOLATION_KIND_REMOVED_NAME_REUSED, "removed_name_reused"},
};

}  // namespace

absl::StatusOr<v1::ViolationKind> ViolationKindFromColumn(std::string_view column) {
  for (const ViolationName& name : kViolationNames) {
    if (name.column == column) return name.kind;
  }
  return absl::DataLossError(absl::StrCat("violations.kind: unknown kind '", ToAbsl(column), "'"));
}

std::string_view ViolationKindColumn(v1::ViolationKind kind) {
  for (const ViolationName& name : kViolationNames) {
    if (name.kind == kind) return name.column;
  }
  return "";
}

absl::StatusOr<v1::ConflictKind> ConflictKindFromColumn(std::string_view column) {
  if (column == "flags") return v1::CONFLICT_KIND_FLAGS;
  if (column == "prototype") return v1::CONFLICT_KIND_PROTOTYPE;
  if (column == "presence") return v1::CONFLICT_KIND_PRESENCE;
  return absl::DataLossError(absl::StrCat("conflicts.kind: unknown kind '", ToAbsl(column), "'"));
}

void SetPoint(const ServingLineage& lineage, int64_t ordinal, v1::Release* out) {
  if (const v1::Release* point = lineage.PointAt(ordinal)) {
    *out = *point;
  } else {
    out->set_ordinal(static_cast<int32_t>(ordinal));
  }
}

void SetPointRef(const ServingLineage& lineage, int64_t ordinal, v1::ReleaseRef* out) {
  if (const v1::Release* point = lineage.PointAt(ordinal)) out->set_name(point->name());
  out->set_ordinal(static_cast<int32_t>(ordinal));
}

void SetCatalogRelease(const ServingCatalog& catalog, int64_t ordinal, v1::Release* out) {
  if (const v1::Release* release = catalog.ReleaseAt(ordinal)) {
    *out = *release;
  } else {
    out->set_ordinal(static_cast<int32_t>(ordinal));
  }
}

v1::KfuncStatus StatusAtPoint(std::optional<v1::KfuncStatus> covering_run, int64_t introduced_in,
                              int64_t point) {
  if (covering_run) return *covering_run;
  if (point < introduced_in) return v1::KFUNC_STATUS_NOT_YET_INTRODUCED;
  return v1::KFUNC_STATUS_UNKNOWN;
}

}  // namespace kfuncdb::server
