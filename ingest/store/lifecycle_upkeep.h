// Lifecycle upkeep: keeps the derived tables of migrations/0002_lifecycle.sql
// (lineage_points, kfunc_lifecycle, the *_runs tables, kfunc_availability,
// violations, conflicts) in step with the builds, using the pure derivation
// of common/lifecycle.h. Definitions: docs/lifecycle.md.
//
// Per build, the upkeep
//   1. counts the build in its lineages (lineage_builds): its home lineage,
//      and mainline too when the home is a distribution lineage;
//   2. adds it to per-point aggregates (lineage_point_variants,
//      kfunc_point_observations), so later derivations never re-read stored
//      builds; a build showing what its variant's earlier builds showed
//      changes no aggregate row;
//   3. re-derives the kfuncs it can have changed: every kfunc of the lineage
//      when the build opened a new point or a new arch/flavour at its point
//      (absences elsewhere become meaningful), else those whose row at its
//      variant it did not match or that have a conflict or several
//      prototypes there. The cost depends on the lineage's kfuncs and
//      points, not on how many builds are stored;
//   4. writes only the derived rows that differ from the stored ones
//      (lifecycle_rows.h): opening a point mostly moves run ends, a few
//      UPDATEs for the whole lineage.
// Between builds the writer keeps each lineage's inputs and derived rows in
// memory (lifecycle_cache.h), trusted only while the lineage's stamp in the
// database is the one it wrote, so a build reads back neither its point's
// aggregates nor, when it re-derives a whole lineage, the lineage.
//
// Everything runs inside the caller's transaction (the BuildWriter's), so a
// reader never sees a build without its lifecycle; a failure leaves the
// transaction to be rolled back.
//
// Thread safety: as sqlite::Database (one thread per connection). The
// counters are process-wide and thread-safe.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/release_catalog.h"
#include "common/sqlite/database.h"
#include "common/strong_id.h"
#include "ingest/store/lifecycle_settings.h"

namespace kfuncdb::store {

// Brings the lifecycle of `build`'s lineages up to date. Call once per new
// build, after its builds/build_kfuncs rows are written, inside the same
// transaction. Counting a build twice is a no-op.
// Errors: FailedPrecondition outside a transaction, or when the build's
// release is neither in the release catalog nor among the first
// kProjectedReleasesAcceptedForBuilds projected releases (import a newer
// catalog first); NotFound for an unknown build id; store errors.
absl::Status UpdateLifecycleForBuild(sqlite::Database& db, BuildRowId build);

// Rewrites the releases rows (projections follow the policy's window) and
// recomputes every lineage's points and every kfunc's lifecycle from the
// aggregates: after a catalog import or a policy change. Inside a
// transaction (FailedPrecondition otherwise).
absl::Status RecomputeAllLifecycle(sqlite::Database& db);

// Replaces the catalog rows with `catalog` and recomputes everything, in
// one transaction of its own. Builds already stored must keep a release in
// the new catalog (FailedPrecondition naming the release otherwise).
absl::Status ImportReleaseCatalog(sqlite::Database& db, const ReleaseCatalog& catalog);

// Applies a policy change and recomputes everything, in one transaction of
// its own.
absl::Status ChangeLifecyclePolicy(sqlite::Database& db, const PolicyChange& change);

// Work done by UpdateLifecycleForBuild in this process, for benchmarks and
// metrics.
struct UpkeepCounters {
  int64_t builds = 0;
  absl::Duration time;
};
UpkeepCounters LifecycleUpkeepCounters();

}  // namespace kfuncdb::store
