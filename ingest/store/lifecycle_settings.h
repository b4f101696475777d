// The lifecycle's settings in the store: the release catalog (releases
// table) and the policy (policy, policy_flag_bits tables), read and written
// so that ingest and server agree on them.
//
// The releases table holds the catalog's rows followed by projected rows
// (ProjectedReleaseCount() of them). An empty table is seeded from the
// catalog built into the binary (data/releases.tsv) on first use.
//
// Functions that only read work inside or outside a transaction; those that
// change settings say what they need. None is thread-safe beyond the
// Database's own rules (one thread per connection).
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/lifecycle_policy.h"
#include "common/release_catalog.h"
#include "common/sqlite/database.h"

namespace kfuncdb::store {

// Projected rows kept after the catalog: at least 24, and enough that a
// deprecation in any release a build may have still has its window_end and
// earliest_removal in the table.
int ProjectedReleaseCount(const LifecyclePolicy& policy);
// How many projected releases past the catalog a build's release may be: a
// new kernel may arrive before the catalog is updated, a far-future name is
// a typo.
inline constexpr int kProjectedReleasesAcceptedForBuilds = 4;

// Seeds the releases table from the built-in catalog when it is empty.
absl::Status EnsureReleaseCatalog(sqlite::Database& db);

// The catalog in the releases table (projected rows recomputed, not read).
// Seeds the table first when it is empty.
absl::StatusOr<ReleaseCatalog> LoadReleaseCatalog(sqlite::Database& db);

// The policy tables, with release names resolved against `catalog`.
// FailedPrecondition when a range names a release the catalog does not
// know or a value is malformed.
absl::StatusOr<LifecyclePolicy> LoadLifecyclePolicy(sqlite::Database& db, const ReleaseCatalog& catalog);

// Rewrites every releases row: the catalog, then ProjectedReleaseCount()
// projected rows. Rows that lineage_points or kfunc_lifecycle reference
// must have been deleted first (RecomputeAllLifecycle does this).
absl::Status WriteReleaseRows(sqlite::Database& db, const ReleaseCatalog& catalog, const LifecyclePolicy& policy);

// A change of policy for `kfuncdb-ingest policy set`.
struct PolicyChange {
  std::optional<int> window_releases;
  // When set, adds a flag-bits rule for [from_release, to_release] (names;
  // empty = open-ended) that wins over the existing ones.
  struct FlagBits {
    std::string from_release;
    std::string to_release;
    int stable_bit = kDefaultStableBit;
    int deprecated_bit = kDefaultDeprecatedBit;
  };
  std::optional<FlagBits> flag_bits;
};

// Writes the change into the policy tables (validated: window 1..100, bits
// 0..31 and distinct, release names in the catalog). The caller recomputes.
absl::Status WritePolicyChange(sqlite::Database& db, const PolicyChange& change);

}  // namespace kfuncdb::store
