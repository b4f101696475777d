// Helpers the query classes share: the database's text columns as API
// enums, and points and releases by ordinal as API messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "proto/kfuncdb/v1/resources.pb.h"
#include "server/serving_catalog.h"

namespace kfuncdb::server {

// kfunc_lifecycle.status / kfunc_status_runs.status -> KfuncStatus.
// Unexpected text is DataLoss (the schema's CHECK forbids it).
absl::StatusOr<v1::KfuncStatus> KfuncStatusFromColumn(std::string_view column);
absl::StatusOr<v1::ViolationKind> ViolationKindFromColumn(std::string_view column);
// ViolationKind -> violations.kind; "" for UNSPECIFIED.
std::string_view ViolationKindColumn(v1::ViolationKind kind);
absl::StatusOr<v1::ConflictKind> ConflictKindFromColumn(std::string_view column);

// Copies the lineage's point `ordinal` into *out. A point the lineage does not
// list (a dangling ordinal) still comes out with its ordinal, so an answer
// is never silently missing a field.
void SetPoint(const ServingLineage& lineage, int64_t ordinal, v1::Release* out);
// The point's name and ordinal, for histories (a dangling ordinal comes out
// without a name, as above).
void SetPointRef(const ServingLineage& lineage, int64_t ordinal, v1::ReleaseRef* out);
// Same for a catalog release (window_end, earliest_removal).
void SetCatalogRelease(const ServingCatalog& catalog, int64_t ordinal, v1::Release* out);

// A kfunc's status at a point, from the status run covering it (nullopt: no
// run covers it) and its first presence: before introduction it is
// NOT_YET_INTRODUCED; uncovered points after it say nothing (UNKNOWN).
v1::KfuncStatus StatusAtPoint(std::optional<v1::KfuncStatus> covering_run, int64_t introduced_in,
                              int64_t point);

}  // namespace kfuncdb::server
