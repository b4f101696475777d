// Resolves a ReleaseOrBuild (one side of a diff, one compatibility target)
// to the builds it stands for and its point in the request's lineage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/kfuncdb/v1/kfuncdb.pb.h"
#include "server/reader_pool.h"

namespace kfuncdb::server {

struct ResolvedTarget {
  // The point of the request's lineage: the release asked for, or where the
  // build counts. Absent for a build whose release is not a point of the
  // lineage (e.g. a build of another distribution series).
  std::optional<v1::Release> point;
  // Mainline base release of the target ("6.1").
  std::string mainline_release;
  // The builds the target stands for: every build of the lineage at the
  // point, or the one build.
  std::vector<int64_t> build_ids;
  // Set when the target is a single build.
  std::optional<int64_t> build_id;
};

// InvalidArgument naming `field` when nothing is set, the release is
// malformed or not a point of the lineage; NotFound when the build does not
// exist.
absl::StatusOr<ResolvedTarget> ResolveTarget(const ReadContext& read, const ServingLineage& lineage,
                                             std::string_view field, const v1::ReleaseOrBuild& target);

}  // namespace kfuncdb::server
