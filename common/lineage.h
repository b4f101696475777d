// Lineages: the ordered series of builds over which lifecycle is derived.
//
//   mainline      every build counted at its mainline base release; its
//                 points are the release catalog's releases.
//   distribution  one distribution series, named "<distribution>-<release>"
//                 ("debian-6.1"): its points are the upstream versions
//                 ingested (6.1.158, 6.1.192...), so packagers see in which
//                 update a backported kfunc arrived. A distribution build also
//                 counts in mainline, at its base release.
//   example       synthetic or example data, and any other explicitly named
//                 series: points are catalog releases like mainline, but its
//                 builds never count in mainline.
//
// Pure functions, no I/O; shared by the writer (which picks a build's home
// lineage) and the lifecycle upkeep.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace kfuncdb {

enum class LineageKind { kMainline, kDistribution, kExample };

inline constexpr std::string_view kMainlineLineage = "mainline";

// "mainline", "distribution", "example": the lineages.kind column.
std::string_view LineageKindName(LineageKind kind);
absl::StatusOr<LineageKind> ParseLineageKind(std::string_view name);

struct LineageAssignment {
  std::string name;
  LineageKind kind = LineageKind::kMainline;
};

// What the writer needs to know about a build to place it.
struct LineageBuildIdentity {
  std::string_view distribution;      // "debian"; empty for upstream builds
  std::string_view release;           // mainline base: "6.1"
};

// The home lineage of a build (builds.lineage_id).
// - `requested` empty: "<distribution>-<release>" (kind distribution) when the
//   build has a distribution, else mainline.
// - "mainline": mainline.
// - "<word>-<release>" with the build's own release: a distribution lineage.
// - any other name: an isolated series of kind example.
// Fails when `requested` has characters other than [A-Za-z0-9._+-].
absl::StatusOr<LineageAssignment> AssignLineage(std::string_view requested,
                                                const LineageBuildIdentity& identity);

// Lineages a build of home lineage `home` is counted in: itself, plus
// mainline for a distribution lineage.
std::vector<LineageAssignment> MemberLineages(const LineageAssignment& home);

// Orders upstream versions ("6.1.47" < "6.1.192" < "6.1.192+deb12"): numeric
// runs compare as numbers, other characters bytewise; a version that is a
// prefix of the other sorts first. Returns <0, 0, >0.
int CompareVersions(std::string_view a, std::string_view b);

}  // namespace kfuncdb
