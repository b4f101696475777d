#include "server/serving_catalog.h"

#include <bit>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "common/kernel_version.h"
#include "common/kfunc_flags.h"
#include "common/status_macros.h"

namespace kfuncdb::server {
namespace {

absl::StatusOr<v1::LineageKind> LineageKindFromColumn(std::string_view kind) {
  if (kind == "mainline") return v1::LINEAGE_KIND_MAINLINE;
  if (kind == "distribution") return v1::LINEAGE_KIND_DISTRIBUTION;
  if (kind == "example") return v1::LINEAGE_KIND_EXAMPLE;
  return absl::DataLossError(absl::StrCat("lineages.kind: unknown kind '", ToAbsl(kind), "'"));
}

int BitPosition(uint32_t mask) { return mask == 0 ? -1 : std::countr_zero(mask); }

absl::Status LoadReleases(sqlite::Database& db, std::vector<v1::Release>& releases,
                          absl::flat_hash_map<std::string, size_t>& by_name) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * stmt,
      db.Prepared("SELECT ordinal, name, date, date_approximate, projected FROM releases ORDER BY ordinal"));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    if (stmt->ColumnInt64(0) != static_cast<int64_t>(releases.size())) {
      return absl::DataLossError(absl::StrCat("releases: ordinals are not dense from 0 (found ",
                                              stmt->ColumnInt64(0), " at position ",
                                              releases.size(), ")"));
    }
    v1::Release& release = releases.emplace_back();
    release.set_ordinal(static_cast<int32_t>(stmt->ColumnInt64(0)));
    release.set_name(stmt->ColumnString(1));
    release.set_date(stmt->ColumnOptionalString(2).value_or(""));
    release.set_date_approximate(stmt->ColumnInt64(3) != 0);
    release.set_projected(stmt->ColumnInt64(4) != 0);
    release.set_mainline_release(release.name());
    by_name.emplace(release.name(), releases.size() - 1);
  }
  return absl::OkStatus();
}

}  // namespace

const v1::Release* ServingLineage::PointAt(int64_t ordinal) const {
  auto it = index_by_ordinal.find(ordinal);
  return it == index_by_ordinal.end() ? nullptr : &points[it->second];
}

const v1::Release* ServingLineage::FindPoint(std::string_view name) const {
  auto it = index_by_name.find(ToAbsl(name));
  return it == index_by_name.end() ? nullptr : &points[it->second];
}

int64_t ServingLineage::newest_ordinal() const {
  return newest_with_builds ? points[*newest_with_builds].ordinal() : -1;
}

absl::StatusOr<std::shared_ptr<const ServingCatalog>> ServingCatalog::Load(sqlite::Database& db) {
  auto catalog = std::make_shared<ServingCatalog>();
  KFUNCDB_RETURN_IF_ERROR(LoadReleases(db, catalog->releases_, catalog->release_by_name_));

  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * lineages,
                           db.Prepared("SELECT id, name, kind, description FROM lineages ORDER BY name"));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, lineages->Step());
    if (!row) break;
    ServingLineage& lineage = catalog->lineages_.emplace_back();
    lineage.id = LineageRowId(lineages->ColumnInt64(0));
    lineage.proto.set_name(lineages->ColumnString(1));
    KFUNCDB_ASSIGN_OR_RETURN(v1::LineageKind kind, LineageKindFromColumn(lineages->ColumnText(2)));
    lineage.proto.set_kind(kind);
    lineage.proto.set_example_data(kind == v1::LINEAGE_KIND_EXAMPLE);
    lineage.proto.set_description(lineages->ColumnString(3));
    catalog->lineage_by_name_.emplace(lineage.proto.name(), catalog->lineages_.size() - 1);
  }

  // Catalog lineages count on every catalog release, with or without
  // lineage_points rows; distribution lineages only on their points.
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * points,
      db.Prepared("SELECT ordinal, name, release_ordinal, has_builds FROM lineage_points "
                  "WHERE lineage_id = ? ORDER BY ordinal"));
  for (ServingLineage& lineage : catalog->lineages_) {
    absl::flat_hash_map<int64_t, bool> has_builds;
    std::vector<v1::Release> distribution_points;
    KFUNCDB_RETURN_IF_ERROR(points->BindAll(lineage.id.value()));
    while (true) {
      KFUNCDB_ASSIGN_OR_RETURN(bool row, points->Step());
      if (!row) break;
      const int64_t ordinal = points->ColumnInt64(0);
      has_builds[ordinal] = points->ColumnInt64(3) != 0;
      if (lineage.proto.kind() != v1::LINEAGE_KIND_DISTRIBUTION) continue;
      const v1::Release* base = catalog->ReleaseAt(points->ColumnInt64(2));
      if (base == nullptr) {
        return absl::DataLossError(absl::StrCat("lineage_points: point ", ordinal, " of lineage '",
                                                lineage.proto.name(), "' names release ordinal ",
                                                points->ColumnInt64(2), ", not in releases"));
      }
      v1::Release& point = distribution_points.emplace_back(*base);
      point.set_ordinal(static_cast<int32_t>(ordinal));
      point.set_name(points->ColumnString(1));
      point.set_mainline_release(base->name());
    }
    points->Reset();
    lineage.points = lineage.proto.kind() == v1::LINEAGE_KIND_DISTRIBUTION
                         ? std::move(distribution_points)
                         : catalog->releases_;
    for (size_t i = 0; i < lineage.points.size(); ++i) {
      v1::Release& point = lineage.points[i];
      auto it = has_builds.find(point.ordinal());
      point.set_has_builds(it != has_builds.end() && it->second);
      if (point.has_builds()) lineage.newest_with_builds = i;
      lineage.index_by_ordinal.emplace(point.ordinal(), i);
      lineage.index_by_name.emplace(point.name(), i);
    }
  }

  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * window,
                           db.Prepared("SELECT value FROM policy WHERE key = 'window_releases'"));
  KFUNCDB_ASSIGN_OR_RETURN(bool has_window, window->Step());
  if (has_window && !absl::SimpleAtoi(ToAbsl(window->ColumnText(0)), &catalog->policy_.window_releases)) {
    return absl::DataLossError(absl::StrCat("policy.window_releases: not a number: '",
                                            ToAbsl(window->ColumnText(0)), "'"));
  }
  window->Reset();

  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * bits,
      db.Prepared("SELECT from_release, to_release, stable_bit, deprecated_bit FROM policy_flag_bits ORDER BY id"));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, bits->Step());
    if (!row) break;
    FlagBitsRule rule;
    rule.stable_bit = static_cast<int>(bits->ColumnInt64(2));
    rule.deprecated_bit = static_cast<int>(bits->ColumnInt64(3));
    for (auto [column, bound] : {std::pair{0, &rule.from}, std::pair{1, &rule.to}}) {
      std::optional<std::string> name = bits->ColumnOptionalString(column);
      if (!name) continue;
      const v1::Release* release = catalog->FindRelease(*name);
      if (release == nullptr) {
        return absl::DataLossError(
            absl::StrCat("policy_flag_bits: release '", *name, "' is not in releases"));
      }
      *bound = ReleaseOrdinal(release->ordinal());
    }
    catalog->policy_.flag_bits.push_back(rule);
  }
  return catalog;
}

const ServingLineage* ServingCatalog::FindLineage(std::string_view name) const {
  auto it = lineage_by_name_.find(ToAbsl(name));
  return it == lineage_by_name_.end() ? nullptr : &lineages_[it->second];
}

const ServingLineage* ServingCatalog::FindLineageById(LineageRowId id) const {
  for (const ServingLineage& lineage : lineages_) {
    if (lineage.id == id) return &lineage;
  }
  return nullptr;
}

const v1::Release* ServingCatalog::ReleaseAt(int64_t ordinal) const {
  if (ordinal < 0 || ordinal >= static_cast<int64_t>(releases_.size())) return nullptr;
  return &releases_[ordinal];
}

const v1::Release* ServingCatalog::FindRelease(std::string_view name) const {
  auto it = release_by_name_.find(ToAbsl(name));
  return it == release_by_name_.end() ? nullptr : &releases_[it->second];
}

FlagMasks ServingCatalog::MasksAtRelease(std::string_view mainline_release) const {
  const v1::Release* release = FindRelease(mainline_release);
  // A release outside the catalog gets the rules that apply everywhere.
  return policy_.MasksAt(ReleaseOrdinal(release ? release->ordinal() : -1));
}

std::vector<std::string> ServingCatalog::FlagNames(uint32_t flags,
                                                   std::string_view mainline_release) const {
  FlagMasks masks = MasksAtRelease(mainline_release);
  KfuncFlagPositions positions{BitPosition(masks.stable), BitPosition(masks.deprecated)};
  absl::StatusOr<KernelVersion> version = KernelVersion::Parse(mainline_release);
  // Without a parsable release only the proposal's bits can be named; the
  // newest meanings are the best guess for the others.
  return DecodeKfuncFlags(flags, version.ok() ? *version : KernelVersion(999, 0), positions);
}

}  // namespace kfuncdb::server
