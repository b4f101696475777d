#include "server/compatibility_query.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/lifecycle_row.h"
#include "server/query_support.h"
#include "server/release_or_build.h"
#include "server/request_validation.h"

namespace kfuncdb::server {
namespace {

struct StatusRunRow {
  int64_t from_point;
  int64_t to_point;
  v1::KfuncStatus status;
};

// What the lineage knows about one kfunc of the request.
struct KnownKfunc {
  std::optional<LifecycleRow> lifecycle;  // nullopt: never seen in the lineage
  std::vector<StatusRunRow> runs;
};

absl::StatusOr<KnownKfunc> ReadKnownKfunc(const ReadContext& read, const ServingLineage& lineage,
                                          const std::string& name) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * lifecycle,
      read.db.Prepared("SELECT" KFUNCDB_LIFECYCLE_COLUMNS
                       "FROM kfunc_lifecycle lc JOIN names n ON n.id = lc.kfunc_name_id "
                       "WHERE lc.lineage_id = ?1 AND n.name = ?2"));
  KFUNCDB_RETURN_IF_ERROR(lifecycle->BindAll(lineage.id.value(), name));
  KFUNCDB_ASSIGN_OR_RETURN(bool found, lifecycle->Step());
  KnownKfunc known;
  if (!found) return known;
  KFUNCDB_ASSIGN_OR_RETURN(known.lifecycle, ReadLifecycleRow(*lifecycle, 0));
  lifecycle->Reset();

  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * runs,
      read.db.Prepared("SELECT from_point, to_point, status FROM kfunc_status_runs "
                       "WHERE lineage_id = ?1 AND kfunc_name_id = ?2 ORDER BY from_point"));
  KFUNCDB_RETURN_IF_ERROR(runs->BindAll(lineage.id.value(), known.lifecycle->kfunc_name_id));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, runs->Step());
    if (!row) break;
    KFUNCDB_ASSIGN_OR_RETURN(v1::KfuncStatus status, KfuncStatusFromColumn(runs->ColumnText(2)));
    known.runs.push_back({runs->ColumnInt64(0), runs->ColumnInt64(1), status});
  }
  return known;
}

// Whether one build has `name`, and its flags (the union over the sets
// listing it) when the build's flags are known.
struct BuildPresence {
  bool present = false;
  bool flags_known = false;
  uint32_t flags = 0;
};

absl::StatusOr<BuildPresence> ReadBuildPresence(const ReadContext& read, int64_t build_id,
                                                const std::string& name) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * rows,
      read.db.Prepared("SELECT bk.flags FROM build_kfuncs bk JOIN names n ON n.id = bk.kfunc_name_id "
                       "WHERE bk.build_id = ?1 AND n.name = ?2"));
  KFUNCDB_RETURN_IF_ERROR(rows->BindAll(build_id, name));
  BuildPresence presence;
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, rows->Step());
    if (!row) break;
    presence.present = true;
    if (std::optional<int64_t> flags = rows->ColumnOptionalInt64(0)) {
      presence.flags_known = true;
      presence.flags |= static_cast<uint32_t>(*flags);
    }
  }
  return presence;
}

std::string PointName(const ServingLineage& lineage, int64_t ordinal) {
  const v1::Release* point = lineage.PointAt(ordinal);
  return point ? point->name() : absl::StrCat("point #", ordinal);
}

int64_t CatalogOrdinal(const ServingCatalog& catalog, const std::string& mainline_release) {
  const v1::Release* release = catalog.FindRelease(mainline_release);
  return release ? release->ordinal() : -1;
}

void SetDeprecated(const ServingCatalog& catalog, const LifecycleRow& lifecycle,
                   v1::CompatibilityResult* result) {
  result->set_verdict(v1::VERDICT_DEPRECATED);
  if (lifecycle.window_end) SetCatalogRelease(catalog, *lifecycle.window_end, result->mutable_window_end());
}

// A release target at or before the newest point with builds.
void JudgeObservedPoint(const ReadContext& read, const ServingLineage& lineage,
                        const KnownKfunc& known, int64_t point, v1::CompatibilityResult* result) {
  const LifecycleRow& lifecycle = *known.lifecycle;
  std::optional<v1::KfuncStatus> run;
  for (const StatusRunRow& row : known.runs) {
    if (row.from_point <= point && point <= row.to_point) run = row.status;
  }
  switch (StatusAtPoint(run, lifecycle.introduced_in, point)) {
    case v1::KFUNC_STATUS_NOT_YET_INTRODUCED:
      result->set_verdict(v1::VERDICT_MISSING);
      result->set_reason(absl::StrCat("introduced in ", PointName(lineage, lifecycle.introduced_in)));
      return;
    case v1::KFUNC_STATUS_UNSTABLE:
    case v1::KFUNC_STATUS_STABLE:
      result->set_verdict(v1::VERDICT_AVAILABLE);
      return;
    case v1::KFUNC_STATUS_DEPRECATED:
      SetDeprecated(read.catalog, lifecycle, result);
      return;
    case v1::KFUNC_STATUS_REMOVED:
      result->set_verdict(v1::VERDICT_REMOVED);
      if (lifecycle.removed_in) {
        result->set_reason(absl::StrCat("removed in ", PointName(lineage, *lifecycle.removed_in)));
      }
      return;
    default:
      result->set_verdict(v1::VERDICT_UNKNOWN);
      result->set_reason("no build of this release covers the kfunc's architectures");
      return;
  }
}

// A release target after the newest point with builds: the proposal's
// promises only.
void JudgeFuturePoint(const ReadContext& read, const ServingLineage& lineage, const KnownKfunc& known,
                      const std::string& mainline_release, v1::CompatibilityResult* result) {
  result->set_projected(true);
  const LifecycleRow& lifecycle = *known.lifecycle;
  const int64_t target = CatalogOrdinal(read.catalog, mainline_release);
  const int64_t newest =
      lineage.newest_with_builds
          ? CatalogOrdinal(read.catalog, lineage.points[*lineage.newest_with_builds].mainline_release())
          : -1;
  switch (lifecycle.status) {
    case v1::KFUNC_STATUS_REMOVED:
      result->set_verdict(v1::VERDICT_REMOVED);
      result->set_reason("removed in the newest ingested release");
      return;
    case v1::KFUNC_STATUS_DEPRECATED:
      if (lifecycle.window_end && target <= *lifecycle.window_end) {
        SetDeprecated(read.catalog, lifecycle, result);
        result->set_reason("deprecated; kept at least until its window ends");
      } else {
        result->set_verdict(v1::VERDICT_UNKNOWN);
        result->set_reason("deprecated, and the target is after its window ends");
      }
      return;
    case v1::KFUNC_STATUS_STABLE:
      if (target <= newest + 1 + read.catalog.policy().window_releases) {
        result->set_verdict(v1::VERDICT_AVAILABLE);
        result->set_reason("stable; removal needs a deprecation window first");
      } else {
        result->set_verdict(v1::VERDICT_UNKNOWN);
        result->set_reason("stable now, but the target is past any deprecation window");
      }
      return;
    default:
      result->set_verdict(v1::VERDICT_UNKNOWN);
      result->set_reason("no builds of the target yet, and the kfunc is not stable");
      return;
  }
}

absl::Status JudgeBuild(const ReadContext& read, const ServingLineage& lineage, const KnownKfunc& known,
                        const std::string& name, const ResolvedTarget& target,
                        v1::CompatibilityResult* result) {
  KFUNCDB_ASSIGN_OR_RETURN(BuildPresence presence, ReadBuildPresence(read, *target.build_id, name));
  if (presence.present) {
    const FlagMasks masks = read.catalog.MasksAtRelease(target.mainline_release);
    if (presence.flags_known && (presence.flags & masks.deprecated) != 0) {
      result->set_verdict(v1::VERDICT_DEPRECATED);
      if (known.lifecycle && known.lifecycle->window_end) {
        SetCatalogRelease(read.catalog, *known.lifecycle->window_end, result->mutable_window_end());
      }
    } else {
      result->set_verdict(v1::VERDICT_AVAILABLE);
      if (!presence.flags_known) result->set_reason("present; flags unknown (raw BTF)");
    }
    return absl::OkStatus();
  }
  const bool removed_by_then = known.lifecycle && known.lifecycle->removed_in && target.point &&
                               *known.lifecycle->removed_in <= target.point->ordinal();
  result->set_verdict(removed_by_then ? v1::VERDICT_REMOVED : v1::VERDICT_MISSING);
  result->set_reason(absl::StrCat("absent from build ", *target.build_id));
  return absl::OkStatus();
}

v1::OverallVerdict Overall(const v1::CheckCompatibilityResponse& response) {
  bool unknown = false, deprecated = false;
  for (const v1::CompatibilityResult& result : response.results()) {
    switch (result.verdict()) {
      case v1::VERDICT_MISSING:
      case v1::VERDICT_REMOVED:
        return v1::OVERALL_VERDICT_INCOMPATIBLE;
      case v1::VERDICT_UNKNOWN:
        unknown = true;
        break;
      case v1::VERDICT_DEPRECATED:
        deprecated = true;
        break;
      default:
        break;
    }
  }
  if (unknown) return v1::OVERALL_VERDICT_INDETERMINATE;
  return deprecated ? v1::OVERALL_VERDICT_COMPATIBLE_WITH_DEPRECATIONS : v1::OVERALL_VERDICT_COMPATIBLE;
}

// Every (kfunc, target) verdict and the overall one.
absl::Status Judge(const ReadContext& read, const v1::CheckCompatibilityRequest& request,
                   v1::CheckCompatibilityResponse* answer) {
  KFUNCDB_ASSIGN_OR_RETURN(
      const ServingLineage* lineage,
      ResolveLineage(read.catalog, "CheckCompatibilityRequest.lineage", request.lineage()));
  std::vector<ResolvedTarget> targets;
  for (int i = 0; i < request.targets_size(); ++i) {
    KFUNCDB_ASSIGN_OR_RETURN(
        targets.emplace_back(),
        ResolveTarget(read, *lineage, absl::StrCat("CheckCompatibilityRequest.targets[", i, "]"),
                      request.targets(i)));
  }
  *answer->mutable_lineage() = lineage->proto;
  for (const ResolvedTarget& target : targets) {
    v1::Release* resolved = answer->add_targets();
    if (target.point) *resolved = *target.point;
  }
  const int64_t newest = lineage->newest_ordinal();
  for (const std::string& name : request.kfuncs()) {
    KFUNCDB_ASSIGN_OR_RETURN(KnownKfunc known, ReadKnownKfunc(read, *lineage, name));
    for (size_t i = 0; i < targets.size(); ++i) {
      const ResolvedTarget& target = targets[i];
      v1::CompatibilityResult* result = answer->add_results();
      result->set_kfunc(name);
      result->set_target_index(static_cast<int32_t>(i));
      if (target.build_id) {
        KFUNCDB_RETURN_IF_ERROR(JudgeBuild(read, *lineage, known, name, target, result));
      } else if (target.point->ordinal() > newest) {
        if (known.lifecycle) {
          JudgeFuturePoint(read, *lineage, known, target.mainline_release, result);
        } else {
          result->set_verdict(v1::VERDICT_UNKNOWN);
          result->set_projected(true);
          result->set_reason("never seen, and the target has no builds yet");
        }
      } else if (!known.lifecycle) {
        result->set_verdict(v1::VERDICT_MISSING);
        result->set_reason(absl::StrCat("never seen in lineage ", lineage->proto.name()));
      } else {
        JudgeObservedPoint(read, *lineage, known, target.point->ordinal(), result);
      }
    }
  }
  answer->set_overall(Overall(*answer));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SerializedAnswer> CheckCompatibilityQuery::RunSerialized(
    const v1::CheckCompatibilityRequest& request, absl::Time deadline) const {
  if (request.kfuncs().empty() || request.kfuncs_size() > kMaxCompatibilityKfuncs) {
    return absl::InvalidArgumentError(absl::StrCat("CheckCompatibilityRequest.kfuncs: ",
                                                   request.kfuncs_size(), " names, want 1..",
                                                   kMaxCompatibilityKfuncs));
  }
  if (request.targets().empty() || request.targets_size() > kMaxCompatibilityTargets) {
    return absl::InvalidArgumentError(absl::StrCat("CheckCompatibilityRequest.targets: ",
                                                   request.targets_size(), " targets, want 1..",
                                                   kMaxCompatibilityTargets));
  }
  for (int i = 0; i < request.kfuncs_size(); ++i) {
    KFUNCDB_RETURN_IF_ERROR(
        ValidateKfuncName(absl::StrCat("CheckCompatibilityRequest.kfuncs[", i, "]"), request.kfuncs(i)));
  }
  return pool_.ReadCached(
      deadline, AnswerKey(kAnswerKeyMethod, request), [&](const ReadContext& read) {
        return SerializeAnswer<v1::CheckCompatibilityResponse>(
            [&](v1::CheckCompatibilityResponse* answer) { return Judge(read, request, answer); });
      });
}

absl::Status CheckCompatibilityQuery::Run(const v1::CheckCompatibilityRequest& request,
                                          absl::Time deadline,
                                          v1::CheckCompatibilityResponse* response) const {
  KFUNCDB_ASSIGN_OR_RETURN(SerializedAnswer answer, RunSerialized(request, deadline));
  return ParseAnswer(answer, response);
}

}  // namespace kfuncdb::server
