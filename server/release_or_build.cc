#include "server/release_or_build.h"

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "common/status_macros.h"
#include "server/request_validation.h"

namespace kfuncdb::server {

absl::StatusOr<ResolvedTarget> ResolveTarget(const ReadContext& read, const ServingLineage& lineage,
                                             std::string_view field, const v1::ReleaseOrBuild& target) {
  ResolvedTarget resolved;
  switch (target.target_case()) {
    case v1::ReleaseOrBuild::TARGET_NOT_SET:
      return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), ": set release or build_id"));

    case v1::ReleaseOrBuild::kRelease: {
      KFUNCDB_ASSIGN_OR_RETURN(const v1::Release* point,
                               ResolvePoint(lineage, absl::StrCat(ToAbsl(field), ".release"), target.release()));
      resolved.point = *point;
      resolved.mainline_release = point->mainline_release();
      KFUNCDB_ASSIGN_OR_RETURN(
          sqlite::Statement * builds,
          read.db.Prepared("SELECT build_id FROM lineage_builds WHERE lineage_id = ?1 AND point_name = ?2 "
                           "ORDER BY build_id"));
      KFUNCDB_RETURN_IF_ERROR(builds->BindAll(lineage.id.value(), point->name()));
      while (true) {
        KFUNCDB_ASSIGN_OR_RETURN(bool row, builds->Step());
        if (!row) break;
        resolved.build_ids.push_back(builds->ColumnInt64(0));
      }
      return resolved;
    }

    case v1::ReleaseOrBuild::kBuildId: {
      KFUNCDB_ASSIGN_OR_RETURN(
          sqlite::Statement * build,
          read.db.Prepared("SELECT b.release, lb.point_name FROM builds b "
                           "LEFT JOIN lineage_builds lb ON lb.build_id = b.id AND lb.lineage_id = ?2 "
                           "WHERE b.id = ?1"));
      KFUNCDB_RETURN_IF_ERROR(build->BindAll(target.build_id(), lineage.id.value()));
      KFUNCDB_ASSIGN_OR_RETURN(bool row, build->Step());
      if (!row) {
        return absl::NotFoundError(absl::StrCat(ToAbsl(field), ".build_id: no build with id ",
                                                target.build_id()));
      }
      resolved.mainline_release = build->ColumnString(0);
      // A build the lineage does not count has no point in it.
      const std::optional<std::string> point_name = build->ColumnOptionalString(1);
      build->Reset();
      if (point_name) {
        if (const v1::Release* point = lineage.FindPoint(*point_name)) resolved.point = *point;
      }
      resolved.build_ids.push_back(target.build_id());
      resolved.build_id = target.build_id();
      return resolved;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), ": unknown target"));
}

}  // namespace kfuncdb::server
