// Lifecycle cache: what the upkeep last knew of a lineage, kept in memory
// between builds so that a build does not read its point's aggregates, nor,
// when it re-derives every kfunc of the lineage (it opened a point or an
// arch), the lineage's aggregates and derived rows back from SQLite.
//
// A snapshot holds the lineage's observations folded per kfunc and point
// (exactly what LoadObservations would read from kfunc_point_observations),
// those rows' keys and missing counts by variant, its derived rows as
// stored (what LoadLifecycleRows would read), and the release catalog and
// policy they were derived with. The upkeep changes it as it changes the
// tables.
//
// Validity rests on a stamp (migrations/0004_lifecycle_stamps.sql): every
// upkeep that writes a lineage ends with StampLineage, which writes a fresh
// random stamp in the same transaction and files the snapshot, if any,
// under it. TakeSnapshot hands a snapshot back only while the stored stamp
// is the one it was filed under: a rolled-back transaction, another
// connection's or process's build, or a recompute (ForgetAllStamps) leave
// another stamp or none, and the caller reads the tables instead. A taken
// snapshot is out of the cache until filed again, so a failure half-way
// through a build simply drops it.
//
// Thread safety: the functions are thread-safe; a snapshot belongs to the
// caller between TakeSnapshot and StampLineage. The cache holds at most a
// few snapshots (per database file and lineage), dropping others.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/lifecycle.h"
#include "common/lifecycle_policy.h"
#include "common/release_catalog.h"
#include "common/sqlite/database.h"
#include "common/strong_id.h"
#include "ingest/store/lifecycle_rows.h"

namespace kfuncdb::store {

// One kfunc's observations in a lineage, in point order.
using PointObservations = std::vector<KfuncPointObservation>;
// Observations of a lineage by kfunc name id.
using ObservationsByKfunc = absl::flat_hash_map<int64_t, PointObservations>;

// A prototype's text and signature hash (the prototypes row).
struct PrototypeText {
  std::string text;
  std::string signature_hash;
};
using PrototypeTexts = absl::flat_hash_map<int64_t, PrototypeText>;

// A kfunc_point_observations row of a variant at a point, by its key after
// the variant: (kfunc name id, flags_known, flags, prototype id).
using ObservationKey = std::tuple<int64_t, int64_t, int64_t, int64_t>;

// One arch/flavour's rows at one point: each row's `missing`, and a label
// no row's example is greater than.
struct VariantRows {
  absl::flat_hash_map<ObservationKey, int64_t> missing;
  std::string example_bound;
};
// By (point ordinal, arch, flavour).
using RowsByVariant = absl::flat_hash_map<std::tuple<int32_t, std::string, std::string>, VariantRows>;

// The release catalog and policy the upkeep derives with. They change only
// through a recompute (catalog import, policy change), which deletes every
// stamp, so a snapshot's copy is current while the snapshot is.
struct UpkeepSettings {
  ReleaseCatalog catalog;
  LifecyclePolicy policy;
};

struct LineageSnapshot {
  ObservationsByKfunc observations;
  RowsByVariant variant_rows;  // the same rows by variant, as stored
  LifecycleRowsByKfunc rows;
  PrototypeTexts prototypes;  // of the prototype ids in `observations`
  std::shared_ptr<const UpkeepSettings> settings;
};

// The snapshot filed for `lineage` of `db`'s file if the lineage's stored
// stamp is still the one it was filed under; nullopt otherwise.
absl::StatusOr<std::optional<LineageSnapshot>> TakeSnapshot(sqlite::Database& db, LineageRowId lineage);

// Writes a fresh stamp for `lineage` (call inside the transaction that
// changed it, after the change) and files `snapshot`, when set, under it.
absl::Status StampLineage(sqlite::Database& db, LineageRowId lineage, std::optional<LineageSnapshot> snapshot);

// Deletes every lineage's stamp: after a recompute rewrote them all.
absl::Status ForgetAllStamps(sqlite::Database& db);

}  // namespace kfuncdb::store
