// The lifecycle of one kfunc over one lineage, derived from what the builds
// of each lineage point showed. This is the product's contract
// (docs/lifecycle.md) as a pure function: no database, no clock, and the
// result depends only on the inputs' values, never on their order of
// arrival, so ingesting builds in any order gives the same lifecycle.
//
// Inputs: the lineage's ordered points (for mainline, every catalog release;
// for a distribution series, the upstream versions ingested), which
// arch/flavour variants have builds at each point and the policy's flag bits
// there; and for the kfunc, one observation per point where some build has
// it, holding aggregates over that point's builds (how many builds of each
// variant have it, the distinct per-build flag words, the distinct
// prototypes). Aggregates rather than builds keep the cost of a derivation
// independent of how many builds a point has.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/lifecycle_policy.h"
#include "common/release_catalog.h"
#include "common/strong_id.h"

namespace kfuncdb {

// Position of a point in its lineage (lineage_points.ordinal). For catalog
// lineages (mainline, example) it equals the release's ReleaseOrdinal.
using PointOrdinal = StrongId<struct PointOrdinalTag, int32_t>;

enum class LifecycleStatus { kUnstable, kStable, kDeprecated, kRemoved, kUnknown };
// "unstable", "stable", "deprecated", "removed", "unknown" (the status columns).
std::string_view LifecycleStatusName(LifecycleStatus status);

enum class ViolationKind {
  kRemovedBeforeWindowEnd,
  kStableRemovedWithoutDeprecation,
  kPrototypeChangedWhileStable,
  kStableClearedWithoutDeprecation,
  kRemovedNameReused,
};
std::string_view ViolationKindName(ViolationKind kind);  // violations.kind

enum class ConflictKind { kFlags, kPrototype, kPresence };
std::string_view ConflictKindName(ConflictKind kind);  // conflicts.kind

struct BuildVariant {
  std::string arch;     // "amd64"
  std::string flavour;  // "cloud-amd64"; "" for mainline builds
  auto operator<=>(const BuildVariant&) const = default;
};

// How many builds of one variant a point has (or have a kfunc).
struct VariantCount {
  BuildVariant variant;
  int builds = 0;
};

struct LineagePointInfo {
  std::string name;          // "6.1" or "6.1.192"
  ReleaseOrdinal release;    // catalog position of the mainline base
  // Variants with builds at this point; empty when the point has none.
  std::vector<VariantCount> variants;
  FlagMasks masks;           // policy bits at `release`
};

struct LineageContext {
  // Index i holds the point of ordinal i.
  std::vector<LineagePointInfo> points;
  int window_releases = kDefaultWindowReleases;
  // Names releases in details and projects window ends past the catalog.
  const ReleaseCatalog* catalog = nullptr;
};

// One distinct value seen at a point, with how many builds showed it and a
// deterministic example (the smallest build label) for conflict details.
struct FlagsVote {
  uint32_t flags = 0;  // a build's word: OR over the kfunc's set entries
  int builds = 0;
  std::string example;
};
struct PrototypeVote {
  PrototypeRowId prototype;
  std::string text;            // C prototype, parameter names kept
  std::string signature_hash;  // types only
  int builds = 0;
  std::string example;
};

// A kfunc at one point where at least one build has it.
struct KfuncPointObservation {
  PointOrdinal point;
  std::vector<VariantCount> presence;  // builds per variant that have it
  std::vector<FlagsVote> flags;        // builds with known flags only
  std::vector<PrototypeVote> prototypes;
};

struct StatusRun {
  PointOrdinal from, to;  // inclusive
  LifecycleStatus status;
  bool operator==(const StatusRun&) const = default;
};
struct FlagRun {
  PointOrdinal from, to;
  std::optional<uint32_t> flags;  // nullopt: no build with known flags
  bool operator==(const FlagRun&) const = default;
};
struct PrototypeRun {
  PointOrdinal from, to;
  PrototypeRowId prototype;
  bool operator==(const PrototypeRun&) const = default;
};
struct Availability {
  BuildVariant variant;
  PointOrdinal first, last;
  bool operator==(const Availability&) const = default;
};
struct Violation {
  ViolationKind kind;
  PointOrdinal point;
  std::string detail;
  bool operator==(const Violation&) const = default;
};
struct Conflict {
  PointOrdinal point;
  ConflictKind kind;
  std::string detail;
  bool operator==(const Conflict&) const = default;
};

struct KfuncLifecycle {
  PointOrdinal introduced_in;
  std::optional<PointOrdinal> introduced_after;
  bool introduced_exact = false;
  PointOrdinal last_present;
  bool stability_known = false;
  std::optional<PointOrdinal> stable_since;
  std::optional<PointOrdinal> deprecated_since;
  std::optional<ReleaseOrdinal> window_end;        // may be past the catalog
  std::optional<ReleaseOrdinal> earliest_removal;
  std::optional<PointOrdinal> removed_in;
  bool removed_exact = false;
  LifecycleStatus status = LifecycleStatus::kUnknown;  // at the lineage's last point with builds
  std::vector<StatusRun> status_runs;
  std::vector<FlagRun> flag_runs;
  std::vector<PrototypeRun> prototype_runs;
  std::vector<Availability> availability;
  std::vector<Violation> violations;
  std::vector<Conflict> conflicts;
  bool operator==(const KfuncLifecycle&) const = default;
};

// Derives one kfunc's lifecycle. `observations` may come in any order; each
// point at most once, and only at points that have builds. Fails with
// InvalidArgument when they are empty or inconsistent with `context`.
absl::StatusOr<KfuncLifecycle> DeriveKfuncLifecycle(const LineageContext& context,
                                                    std::vector<KfuncPointObservation> observations);

// Puts an observation's presence, flags and prototypes in the canonical
// order the derivation reads them in (by variant, word and text).
void CanonicalizeObservation(KfuncPointObservation& observation);

// DeriveKfuncLifecycle for observations a caller keeps between derivations
// (the writer's lineage snapshot), spared the copy: they must come by
// point, each canonical (CanonicalizeObservation); InvalidArgument if not
// in point order. Same result as DeriveKfuncLifecycle on the same values.
absl::StatusOr<KfuncLifecycle> DeriveCanonicalKfuncLifecycle(
    const LineageContext& context, std::span<const KfuncPointObservation* const> observations);

}  // namespace kfuncdb
