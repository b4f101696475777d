#include "common/lifecycle.h"

#include <algorithm>
#include <map>
#include <span>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/absl_string_view.h"

namespace kfuncdb {
namespace {

// What the derivation needs to know about the kfunc at one present point.
struct PresentPoint {
  const KfuncPointObservation* observation = nullptr;
  std::optional<uint32_t> flags;   // union over builds with known flags
  const PrototypeVote* prototype;  // the representative prototype
};

std::string BuildsPhrase(int builds, std::string_view example) {
  return absl::StrCat(builds, builds == 1 ? " build" : " builds", " (e.g. ", ToAbsl(example), ")");
}

std::string VariantName(const BuildVariant& variant) {
  return variant.flavour.empty() ? variant.arch : absl::StrCat(variant.arch, "/", variant.flavour);
}

// The prototype most builds of the point showed; ties broken by text so the
// choice does not depend on row ids or arrival order.
const PrototypeVote* Representative(const std::vector<PrototypeVote>& votes) {
  const PrototypeVote* best = nullptr;
  for (const PrototypeVote& vote : votes) {
    if (best == nullptr || vote.builds > best->builds ||
        (vote.builds == best->builds && vote.text < best->text)) {
      best = &vote;
    }
  }
  return best;
}

absl::Status Validate(const LineageContext& context, std::span<const KfuncPointObservation* const> observations) {
  if (context.catalog == nullptr) return absl::InvalidArgumentError("lifecycle context has no release catalog");
  if (observations.empty()) return absl::InvalidArgumentError("a kfunc lifecycle needs at least one observation");
  const int32_t point_count = static_cast<int32_t>(context.points.size());
  for (size_t i = 0; i < observations.size(); ++i) {
    const KfuncPointObservation& observation = *observations[i];
    int32_t point = observation.point.value();
    if (point < 0 || point >= point_count) {
      return absl::InvalidArgumentError(absl::StrCat("observation at point ", point, " outside the lineage's ",
                                                     point_count, " points"));
    }
    if (i > 0 && observations[i - 1]->point >= observation.point) {
      return absl::InvalidArgumentError(
          absl::StrCat("observations not in point order, or two at point ", context.points[point].name));
    }
    if (observation.presence.empty() || observation.prototypes.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("observation at ", context.points[point].name, " lacks presence or prototype"));
    }
    for (const VariantCount& seen : observation.presence) {
      const auto& variants = context.points[point].variants;
      auto it = std::find_if(variants.begin(), variants.end(),
                             [&](const VariantCount& v) { return v.variant == seen.variant; });
      if (it == variants.end() || seen.builds <= 0 || seen.builds > it->builds) {
        return absl::InvalidArgumentError(absl::StrCat("observation at ", context.points[point].name,
                                                       " counts ", seen.builds, " builds of ",
                                                       VariantName(seen.variant), " but the point has ",
                                                       it == variants.end() ? 0 : it->builds));
      }
    }
  }
  return absl::OkStatus();
}

std::vector<Conflict> ConflictsAt(const LineageContext& context, const KfuncPointObservation& observation) {
  std::vector<Conflict> conflicts;
  const LineagePointInfo& point = context.points[observation.point.value()];
  if (observation.flags.size() > 1) {
    std::vector<std::string> parts;
    for (const FlagsVote& vote : observation.flags) {
      parts.push_back(absl::StrFormat("0x%x in %s", vote.flags, BuildsPhrase(vote.builds, vote.example)));
    }
    conflicts.push_back({observation.point, ConflictKind::kFlags,
                         absl::StrCat("builds of ", point.name, " disagree on flags: ", absl::StrJoin(parts, "; "))});
  }
  // Almost always one signature: no need to group the votes then.
  const bool one_signature =
      std::all_of(observation.prototypes.begin(), observation.prototypes.end(), [&](const PrototypeVote& vote) {
        return vote.signature_hash == observation.prototypes.front().signature_hash;
      });
  std::map<std::string, std::vector<const PrototypeVote*>> by_signature;
  if (!one_signature) {
    for (const PrototypeVote& vote : observation.prototypes) by_signature[vote.signature_hash].push_back(&vote);
  }
  if (by_signature.size() > 1) {
    std::vector<std::string> parts;
    for (const auto& [signature, votes] : by_signature) {
      for (const PrototypeVote* vote : votes) {
        parts.push_back(absl::StrCat("'", vote->text, "' in ", BuildsPhrase(vote->builds, vote->example)));
      }
    }
    conflicts.push_back({observation.point, ConflictKind::kPrototype,
                         absl::StrCat("builds of ", point.name, " disagree on the prototype: ",
                                      absl::StrJoin(parts, "; "))});
  }
  for (const VariantCount& seen : observation.presence) {
    for (const VariantCount& all : point.variants) {
      if (all.variant == seen.variant && seen.builds < all.builds) {
        conflicts.push_back({observation.point, ConflictKind::kPresence,
                             absl::StrCat("present in ", seen.builds, " of ", all.builds, " ",
                                          VariantName(seen.variant), " builds of ", point.name)});
      }
    }
  }
  return conflicts;
}

template <typename Run, typename Value>
void ExtendRun(std::vector<Run>& runs, PointOrdinal point, const Value& value, bool contiguous) {
  if (contiguous && !runs.empty()) {
    Run& last = runs.back();
    if constexpr (std::is_same_v<Run, FlagRun>) {
      if (last.flags == value) { last.to = point; return; }
    } else if constexpr (std::is_same_v<Run, PrototypeRun>) {
      if (last.prototype == value) { last.to = point; return; }
    } else {
      if (last.status == value) { last.to = point; return; }
    }
  }
  runs.push_back(Run{point, point, value});
}

}  // namespace

std::string_view LifecycleStatusName(LifecycleStatus status) {
  switch (status) {
    case LifecycleStatus::kUnstable: return "unstable";
    case LifecycleStatus::kStable: return "stable";
    case LifecycleStatus::kDeprecated: return "deprecated";
    case LifecycleStatus::kRemoved: return "removed";
    case LifecycleStatus::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view ViolationKindName(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::kRemovedBeforeWindowEnd: return "removed_before_window_end";
    case ViolationKind::kStableRemovedWithoutDeprecation: return "stable_removed_without_deprecation";
    case ViolationKind::kPrototypeChangedWhileStable: return "prototype_changed_while_stable";
    case ViolationKind::kStableClearedWithoutDeprecation: return "stable_cleared_without_deprecation";
    case ViolationKind::kRemovedNameReused: return "removed_name_reused";
  }
  return "";
}

std::string_view ConflictKindName(ConflictKind kind) {
  switch (kind) {
    case ConflictKind::kFlags: return "flags";
    case ConflictKind::kPrototype: return "prototype";
    case ConflictKind::kPresence: return "presence";
  }
  return "";
}

void CanonicalizeObservation(KfuncPointObservation& observation) {
  std::sort(observation.presence.begin(), observation.presence.end(),
            [](const auto& a, const auto& b) { return a.variant < b.variant; });
  std::sort(observation.flags.begin(), observation.flags.end(),
            [](const auto& a, const auto& b) { return a.flags < b.flags; });
  std::sort(observation.prototypes.begin(), observation.prototypes.end(),
            [](const auto& a, const auto& b) { return a.text < b.text; });
}

absl::StatusOr<KfuncLifecycle> DeriveKfuncLifecycle(const LineageContext& context,
                                                    std::vector<KfuncPointObservation> observations) {
  // Canonical order first: everything below depends only on values.
  std::sort(observations.begin(), observations.end(),
            [](const auto& a, const auto& b) { return a.point < b.point; });
  std::vector<const KfuncPointObservation*> ordered;
  ordered.reserve(observations.size());
  for (KfuncPointObservation& observation : observations) {
    CanonicalizeObservation(observation);
    ordered.push_back(&observation);
  }
  return DeriveCanonicalKfuncLifecycle(context, ordered);
}

absl::StatusOr<KfuncLifecycle> DeriveCanonicalKfuncLifecycle(
    const LineageContext& context, std::span<const KfuncPointObservation* const> observations) {
  if (absl::Status status = Validate(context, observations); !status.ok()) return status;

  const auto& points = context.points;
  const int32_t point_count = static_cast<int32_t>(points.size());
  auto name_of = [&](PointOrdinal point) -> const std::string& { return points[point.value()].name; };

  // A point says something about this kfunc only when it has a build of an
  // architecture the kfunc was ever seen on.
  // A kfunc is seen on one or two arches: a small vector, no tree.
  std::vector<std::string_view> arches;
  auto seen_on = [&](std::string_view arch) { return std::find(arches.begin(), arches.end(), arch) != arches.end(); };
  for (const KfuncPointObservation* observation : observations) {
    for (const VariantCount& seen : observation->presence) {
      if (!seen_on(seen.variant.arch)) arches.push_back(seen.variant.arch);
    }
  }
  std::vector<bool> informative(point_count, false);
  int32_t last_with_builds = -1;
  for (int32_t i = 0; i < point_count; ++i) {
    if (!points[i].variants.empty()) last_with_builds = i;
    for (const VariantCount& variant : points[i].variants) {
      if (seen_on(variant.variant.arch)) informative[i] = true;
    }
  }

  std::vector<std::optional<PresentPoint>> present(point_count);
  for (const KfuncPointObservation* each : observations) {
    const KfuncPointObservation& observation = *each;
    PresentPoint point{&observation, std::nullopt, Representative(observation.prototypes)};
    if (!observation.flags.empty()) {
      uint32_t flags = 0;
      for (const FlagsVote& vote : observation.flags) flags |= vote.flags;
      point.flags = flags;
    }
    present[observation.point.value()] = point;
  }

  KfuncLifecycle result;
  result.introduced_in = observations.front()->point;
  result.last_present = observations.back()->point;
  for (int32_t i = result.introduced_in.value() - 1; i >= 0; --i) {
    if (informative[i]) {
      result.introduced_after = PointOrdinal(i);
      break;
    }
  }
  result.introduced_exact =
      result.introduced_after && result.introduced_after->value() + 1 == result.introduced_in.value();
  for (int32_t i = result.last_present.value() + 1; i < point_count; ++i) {
    if (informative[i]) {
      result.removed_in = PointOrdinal(i);
      break;
    }
  }
  result.removed_exact = result.removed_in && result.removed_in->value() == result.last_present.value() + 1;

  for (const KfuncPointObservation* each : observations) {
    const KfuncPointObservation& observation = *each;
    const PresentPoint& point = *present[observation.point.value()];
    if (!point.flags) continue;
    result.stability_known = true;
    const FlagMasks& masks = points[observation.point.value()].masks;
    if (!result.stable_since && (*point.flags & masks.stable) != 0) result.stable_since = observation.point;
    if (!result.deprecated_since && (*point.flags & masks.deprecated) != 0) {
      result.deprecated_since = observation.point;
    }
  }
  if (result.deprecated_since) {
    ReleaseOrdinal deprecated_release = points[result.deprecated_since->value()].release;
    result.window_end = ReleaseOrdinal(deprecated_release.value() + context.window_releases);
    result.earliest_removal = ReleaseOrdinal(deprecated_release.value() + context.window_releases + 1);
  }

  // Walk the lineage from the introduction to its last point with builds:
  // status at every point, and the events that break the proposal's promises.
  LifecycleStatus status = LifecycleStatus::kUnknown;
  std::optional<bool> last_stable;  // stable bit at the last present point with known flags
  bool deprecated_seen = false;
  bool absent = false;              // removed and not (yet) present again
  bool gap_since_present = false;   // an informative absence since the last present point
  const PresentPoint* last_present_point = nullptr;
  for (int32_t i = result.introduced_in.value(); i <= last_with_builds; ++i) {
    const PointOrdinal here(i);
    if (present[i]) {
      const PresentPoint& point = *present[i];
      if (absent && deprecated_seen) {
        result.violations.push_back({ViolationKind::kRemovedNameReused, here,
                                     absl::StrCat("deprecated, removed, and present again in ", name_of(here))});
      }
      if (last_present_point != nullptr && last_stable == true &&
          last_present_point->prototype->signature_hash != point.prototype->signature_hash) {
        result.violations.push_back(
            {ViolationKind::kPrototypeChangedWhileStable, here,
             absl::StrCat("'", last_present_point->prototype->text, "' became '", point.prototype->text, "' in ",
                          name_of(here), " while stable")});
      }
      if (point.flags) {
        const FlagMasks& masks = points[i].masks;
        bool stable = (*point.flags & masks.stable) != 0;
        bool deprecated = (*point.flags & masks.deprecated) != 0;
        if (last_stable == true && !stable && !deprecated) {
          result.violations.push_back(
              {ViolationKind::kStableClearedWithoutDeprecation, here,
               absl::StrFormat("KF_STABLE cleared without KF_DEPRECATED in %s (flags 0x%x)", name_of(here),
                               *point.flags)});
        }
        last_stable = stable;
        deprecated_seen = deprecated_seen || deprecated;
        status = deprecated ? LifecycleStatus::kDeprecated
                 : stable   ? LifecycleStatus::kStable
                            : LifecycleStatus::kUnstable;
      } else {
        status = LifecycleStatus::kUnknown;
      }
      ExtendRun(result.flag_runs, here, point.flags, !gap_since_present);
      ExtendRun(result.prototype_runs, here, point.prototype->prototype, !gap_since_present);
      absent = false;
      gap_since_present = false;
      last_present_point = &point;
    } else if (informative[i]) {
      if (!absent) {
        const ReleaseInfo removal = context.catalog->At(points[i].release);
        if (deprecated_seen && points[i].release <= *result.window_end) {
          result.violations.push_back(
              {ViolationKind::kRemovedBeforeWindowEnd, here,
               absl::StrCat("removed in ", name_of(here), " (release ", removal.name, "), window ends ",
                            context.catalog->At(*result.window_end).name, " (deprecated since ",
                            name_of(*result.deprecated_since), ")")});
        } else if (!deprecated_seen && last_stable == true) {
          result.violations.push_back({ViolationKind::kStableRemovedWithoutDeprecation, here,
                                       absl::StrCat("stable, removed in ", name_of(here),
                                                    " without being deprecated first")});
        }
      }
      absent = true;
      gap_since_present = true;
      status = LifecycleStatus::kRemoved;
    }
    ExtendRun(result.status_runs, here, status, true);
  }
  result.status = result.status_runs.empty() ? LifecycleStatus::kUnknown : result.status_runs.back().status;

  // Availability per variant, in variant order (a kfunc has a few).
  for (const KfuncPointObservation* each : observations) {
    const KfuncPointObservation& observation = *each;
    for (const VariantCount& seen : observation.presence) {
      auto it = std::find_if(result.availability.begin(), result.availability.end(),
                             [&](const Availability& a) { return a.variant == seen.variant; });
      if (it == result.availability.end()) {
        result.availability.push_back({seen.variant, observation.point, observation.point});
      } else {
        it->last = observation.point;
      }
    }
    std::vector<Conflict> conflicts = ConflictsAt(context, observation);
    result.conflicts.insert(result.conflicts.end(), conflicts.begin(), conflicts.end());
  }
  std::sort(result.availability.begin(), result.availability.end(),
            [](const Availability& a, const Availability& b) { return a.variant < b.variant; });
  return result;
}

}  // namespace kfuncdb
