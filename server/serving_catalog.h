// ServingCatalog: the small tables nearly every answer needs (lineages, each
// lineage's ordered points, the release catalog including projected
// releases, the lifecycle policy), loaded once per database state rather
// than once per request.
//
// A reader connection keeps the catalog it loaded together with the
// `PRAGMA data_version` it was loaded at, and reloads it inside the read
// transaction of the first request that sees a newer version (see
// ReaderPool), so the catalog always matches the snapshot the request reads.
//
// Immutable after Load(); safe to share across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/lifecycle_policy.h"
#include "common/sqlite/database.h"
#include "common/strong_id.h"
#include "proto/kfuncdb/v1/resources.pb.h"

namespace kfuncdb::server {

// One lineage and its points, ready to be copied into answers.
struct ServingLineage {
  LineageRowId id;
  v1::Lineage proto;
  // Points oldest first. For mainline and example lineages these are the
  // catalog's releases (projected ones included), point ordinal = release
  // ordinal; for a distribution lineage, its ingested upstream versions.
  std::vector<v1::Release> points;
  // Index into `points` of the newest point with builds; nullopt: none.
  std::optional<size_t> newest_with_builds;

  // The point with this ordinal; nullptr when the lineage has none.
  const v1::Release* PointAt(int64_t ordinal) const;
  // The point named `name` ("6.1", or "6.1.192" in a distribution lineage).
  const v1::Release* FindPoint(std::string_view name) const;
  // Ordinal of the newest point with builds; -1 when the lineage is empty.
  int64_t newest_ordinal() const;

  absl::flat_hash_map<int64_t, size_t> index_by_ordinal;
  absl::flat_hash_map<std::string, size_t> index_by_name;
};

class ServingCatalog {
 public:
  // How many projected releases past the confirmed catalog are served
  // (enough for every window_end the database can hold, plus a margin).
  static constexpr int kProjectedReleases = 24;

  // Reads lineages, lineage_points, releases and policy from `db`, inside the
  // caller's read transaction. Errors: the SQLite error, or DataLoss when a
  // row breaks the schema's contract (unknown lineage kind...).
  static absl::StatusOr<std::shared_ptr<const ServingCatalog>> Load(sqlite::Database& db);

  // nullptr when the database has no lineage of that name.
  const ServingLineage* FindLineage(std::string_view name) const;
  const ServingLineage* FindLineageById(LineageRowId id) const;
  const std::vector<ServingLineage>& lineages() const { return lineages_; }

  // Catalog release at `ordinal` (releases table, projected rows included);
  // nullptr when out of range.
  const v1::Release* ReleaseAt(int64_t ordinal) const;
  const v1::Release* FindRelease(std::string_view name) const;
  const std::vector<v1::Release>& releases() const { return releases_; }

  const LifecyclePolicy& policy() const { return policy_; }
  // Bit positions of KF_STABLE / KF_DEPRECATED at a catalog release.
  FlagMasks MasksAtRelease(std::string_view mainline_release) const;
  // Names of the set bits of `flags` at a mainline release ("KF_ACQUIRE",
  // "bit17"); the stable/deprecated names at the policy's positions.
  std::vector<std::string> FlagNames(uint32_t flags, std::string_view mainline_release) const;

 private:
  std::vector<ServingLineage> lineages_;
  absl::flat_hash_map<std::string, size_t> lineage_by_name_;
  std::vector<v1::Release> releases_;  // index = ordinal
  absl::flat_hash_map<std::string, size_t> release_by_name_;
  LifecyclePolicy policy_;
};

}  // namespace kfuncdb::server
