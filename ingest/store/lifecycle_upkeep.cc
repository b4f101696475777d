#include "ingest/store/lifecycle_upkeep.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "common/lifecycle.h"
#include "common/lineage.h"
#include "common/sqlite/statement.h"
#include "common/sqlite/transaction.h"
#include "common/status_macros.h"
#include "ingest/store/lifecycle_cache.h"
#include "ingest/store/lifecycle_rows.h"

namespace kfuncdb::store {
namespace {

std::atomic<int64_t> upkeep_builds{0};
std::atomic<int64_t> upkeep_nanoseconds{0};

// Tables derived per (lineage, kfunc); deleted and rewritten on recompute.
constexpr const char* kDerivedTables[] = {
    "kfunc_lifecycle", "kfunc_status_runs", "kfunc_flag_runs", "kfunc_prototype_runs",
    "kfunc_availability", "violations", "conflicts",
};

using Settings = UpkeepSettings;

struct LineageRef {
  LineageRowId id;
  LineageKind kind;
  std::string name;
};

struct BuildFacts {
  std::string release;
  std::string upstream_version;
  BuildVariant variant;
  std::string label;  // "<kernel_release> [<sha256 prefix>]"
  bool flags_known = false;
  LineageRef home;
};

bool CountsOnCatalog(LineageKind kind) { return kind != LineageKind::kDistribution; }

absl::StatusOr<std::shared_ptr<const Settings>> LoadSettings(sqlite::Database& db) {
  KFUNCDB_ASSIGN_OR_RETURN(ReleaseCatalog catalog, LoadReleaseCatalog(db));
  KFUNCDB_ASSIGN_OR_RETURN(LifecyclePolicy policy, LoadLifecyclePolicy(db, catalog));
  return std::make_shared<const Settings>(Settings{std::move(catalog), std::move(policy)});
}

absl::Status RequireTransaction(sqlite::Database& db, std::string_view what) {
  if (db.in_transaction()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(std::string(what), " must run inside the writer's transaction on ", db.path().string()));
}

absl::StatusOr<BuildFacts> LoadBuild(sqlite::Database& db, BuildRowId build) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * select,
      db.Prepared("SELECT b.release, b.upstream_version, b.arch, b.flavour, b.kernel_release, b.content_sha256,"
                  " b.flags_known, l.id, l.kind, l.name FROM builds b JOIN lineages l ON l.id = b.lineage_id"
                  " WHERE b.id = ?"));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(build.value()));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return absl::NotFoundError(absl::StrCat("no build with id ", build.value()));
  BuildFacts facts;
  facts.release = select->ColumnString(0);
  facts.upstream_version = select->ColumnString(1);
  facts.variant = {select->ColumnString(2), select->ColumnString(3)};
  facts.label = absl::StrCat(select->ColumnString(4), " [", select->ColumnString(5).substr(0, 12), "]");
  facts.flags_known = select->ColumnInt64(6) != 0;
  facts.home.id = LineageRowId(select->ColumnInt64(7));
  std::string kind = select->ColumnString(8);
  facts.home.name = select->ColumnString(9);
  select->Reset();
  KFUNCDB_ASSIGN_OR_RETURN(facts.home.kind, ParseLineageKind(kind));
  return facts;
}

absl::StatusOr<LineageRef> LineageByName(sqlite::Database& db, std::string_view name) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * select, db.Prepared("SELECT id, kind FROM lineages WHERE name = ?"));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(name));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return absl::NotFoundError(absl::StrCat("no lineage named '", std::string(name), "'"));
  LineageRef lineage{LineageRowId(select->ColumnInt64(0)), LineageKind::kMainline, std::string(name)};
  std::string kind = select->ColumnString(1);
  select->Reset();
  KFUNCDB_ASSIGN_OR_RETURN(lineage.kind, ParseLineageKind(kind));
  return lineage;
}

absl::StatusOr<ReleaseOrdinal> ResolveBuildRelease(const Settings& settings, std::string_view release) {
  std::optional<ReleaseOrdinal> ordinal = settings.catalog.Find(release, kProjectedReleasesAcceptedForBuilds);
  if (!ordinal) {
    return absl::FailedPreconditionError(absl::StrCat(
        "release '", std::string(release), "' is neither in the release catalog (last: ",
        settings.catalog.known().back().name, ") nor among the next ", kProjectedReleasesAcceptedForBuilds,
        " projected releases; import a newer catalog with `kfuncdb-ingest releases import`"));
  }
  return *ordinal;
}

// ---- Points ----

// Catalog lineages get one point per releases row on their first build.
absl::Status EnsureCatalogPoints(sqlite::Database& db, LineageRowId lineage) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * any,
                           db.Prepared("SELECT 1 FROM lineage_points WHERE lineage_id = ? LIMIT 1"));
  KFUNCDB_RETURN_IF_ERROR(any->BindAll(lineage.value()));
  KFUNCDB_ASSIGN_OR_RETURN(bool has_points, any->Step());
  any->Reset();
  if (has_points) return absl::OkStatus();
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * insert,
      db.Prepared("INSERT INTO lineage_points (lineage_id, ordinal, name, release_ordinal, has_builds)"
                  " SELECT ?, ordinal, name, ordinal, 0 FROM releases"));
  KFUNCDB_RETURN_IF_ERROR(insert->BindAll(lineage.value()));
  return insert->Run();
}

struct DistributionPoint {
  std::string name;
  ReleaseOrdinal release;
};

// Rewrites a distribution lineage's points in order (release, then version).
absl::Status WriteDistributionPoints(sqlite::Database& db, LineageRowId lineage,
                                     std::vector<DistributionPoint> points) {
  std::sort(points.begin(), points.end(), [](const DistributionPoint& a, const DistributionPoint& b) {
    if (a.release != b.release) return a.release < b.release;
    return CompareVersions(a.name, b.name) < 0;
  });
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * clear, db.Prepared("DELETE FROM lineage_points WHERE lineage_id = ?"));
  KFUNCDB_RETURN_IF_ERROR(clear->BindAll(lineage.value()));
  KFUNCDB_RETURN_IF_ERROR(clear->Run());
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * insert,
      db.Prepared("INSERT INTO lineage_points (lineage_id, ordinal, name, release_ordinal, has_builds)"
                  " VALUES (?, ?, ?, ?, 1)"));
  for (size_t i = 0; i < points.size(); ++i) {
    KFUNCDB_RETURN_IF_ERROR(
        insert->BindAll(lineage.value(), static_cast<int64_t>(i), points[i].name, points[i].release.value()));
    KFUNCDB_RETURN_IF_ERROR(insert->Run());
  }
  return absl::OkStatus();
}

// Marks `point_name` as a point with builds; true when it had none before
// (for a distribution lineage: when the point is new, which renumbers it).
absl::StatusOr<bool> AddPoint(sqlite::Database& db, const LineageRef& lineage, const std::string& point_name,
                              ReleaseOrdinal release) {
  if (CountsOnCatalog(lineage.kind)) {
    KFUNCDB_RETURN_IF_ERROR(EnsureCatalogPoints(db, lineage.id));
    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * mark,
        db.Prepared("UPDATE lineage_points SET has_builds = 1"
                    " WHERE lineage_id = ? AND ordinal = ? AND has_builds = 0"));
    KFUNCDB_RETURN_IF_ERROR(mark->BindAll(lineage.id.value(), release.value()));
    KFUNCDB_RETURN_IF_ERROR(mark->Run());
    return db.changes() == 1;
  }
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * select,
                           db.Prepared("SELECT name, release_ordinal FROM lineage_points WHERE lineage_id = ?"));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(lineage.id.value()));
  std::vector<DistributionPoint> points;
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    points.push_back({select->ColumnString(0), ReleaseOrdinal(static_cast<int32_t>(select->ColumnInt64(1)))});
  }
  for (const DistributionPoint& point : points) {
    if (point.name == point_name) return false;
  }
  points.push_back({point_name, release});
  KFUNCDB_RETURN_IF_ERROR(WriteDistributionPoints(db, lineage.id, std::move(points)));
  return true;
}

// ---- Aggregates ----

// Counts the build's variant at the point; returns how many builds of that
// arch/flavour the point has now (1: the first).
absl::StatusOr<int64_t> AddVariant(sqlite::Database& db, LineageRowId lineage, const std::string& point_name,
                                   const BuildVariant& variant) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * upsert,
      db.Prepared("INSERT INTO lineage_point_variants (lineage_id, point_name, arch, flavour, builds)"
                  " VALUES (?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET builds = builds + 1 RETURNING builds"));
  KFUNCDB_RETURN_IF_ERROR(upsert->BindAll(lineage.value(), point_name, variant.arch, variant.flavour));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, upsert->Step());
  const int64_t builds = row ? upsert->ColumnInt64(0) : 0;
  upsert->Reset();
  return builds;
}

// True when the point has builds of `arch` other than the one just counted.
absl::StatusOr<bool> ArchSeenBefore(sqlite::Database& db, LineageRowId lineage, const std::string& point_name,
                                    const std::string& arch) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * select,
      db.Prepared("SELECT sum(builds) FROM lineage_point_variants WHERE lineage_id = ? AND point_name = ?"
                  " AND arch = ?"));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(lineage.value(), point_name, arch));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
  const bool seen = row && select->ColumnInt64(0) > 1;
  select->Reset();
  return seen;
}

// Kfunc name ids from a one-column query bound to `args`.
template <typename... Args>
absl::StatusOr<absl::flat_hash_set<int64_t>> KfuncSet(sqlite::Database& db, std::string_view sql,
                                                      const Args&... args) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * select, db.Prepared(sql));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(args...));
  absl::flat_hash_set<int64_t> kfuncs;
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    kfuncs.insert(select->ColumnInt64(0));
  }
  return kfuncs;
}

// One kfunc as one build shows it.
struct BuildKfunc {
  NameRowId name;
  std::optional<uint32_t> flags;  // OR over its set entries; nullopt: unknown
  PrototypeRowId prototype;       // of its first entry (one FUNC, one prototype)
};

// What a point looked like for the kfuncs of one variant before a build of
// that variant was added: enough to tell which kfuncs the build changes.
struct PointBefore {
  absl::flat_hash_map<ObservationKey, int64_t> at_variant;  // rows of the variant: their `missing`
  absl::flat_hash_set<int64_t> in_conflict;               // kfuncs with a conflict at the point
  absl::flat_hash_set<int64_t> several_prototypes;        // representative may change
};

// The observation of `point` in `by_point`, nullptr when there is none.
const KfuncPointObservation* FindObservation(const PointObservations& by_point, PointOrdinal point) {
  auto it = std::lower_bound(by_point.begin(), by_point.end(), point,
                             [](const KfuncPointObservation& o, PointOrdinal p) { return o.point < p; });
  return it != by_point.end() && it->point == point ? &*it : nullptr;
}

// The point from the lineage's snapshot, reading nothing: the variant's
// rows, and which of the build's and the variant's kfuncs have several
// prototypes or a conflict at the point.
PointBefore PointBeforeFromSnapshot(const LineageSnapshot& snapshot, PointOrdinal point,
                                    const BuildVariant& variant, const std::vector<BuildKfunc>& kfuncs) {
  PointBefore before;
  auto rows = snapshot.variant_rows.find(std::make_tuple(point.value(), variant.arch, variant.flavour));
  if (rows != snapshot.variant_rows.end()) before.at_variant = rows->second.missing;
  auto note = [&](int64_t kfunc) {
    if (auto observed = snapshot.observations.find(kfunc); observed != snapshot.observations.end()) {
      const KfuncPointObservation* here = FindObservation(observed->second, point);
      if (here != nullptr && here->prototypes.size() > 1) before.several_prototypes.insert(kfunc);
    }
    if (auto derived = snapshot.rows.find(kfunc); derived != snapshot.rows.end()) {
      for (const auto& conflict : derived->second.conflicts) {
        if (std::get<0>(conflict) == point.value()) before.in_conflict.insert(kfunc);
      }
    }
  };
  for (const BuildKfunc& kfunc : kfuncs) note(kfunc.name.value());
  for (const auto& [key, missing] : before.at_variant) note(std::get<0>(key));
  return before;
}

// The point from the tables: its rows are a range of the primary key
// (point first, migrations/0003), however many points the lineage has.
absl::StatusOr<PointBefore> PointBeforeFromTables(sqlite::Database& db, LineageRowId lineage, PointOrdinal point,
                                                  const std::string& point_name, const BuildVariant& variant) {
  PointBefore before;
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * select,
      db.Prepared("SELECT kfunc_name_id, arch, flavour, flags_known, flags, prototype_id, missing"
                  " FROM kfunc_point_observations WHERE lineage_id = ? AND point_name = ?"));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(lineage.value(), point_name));
  absl::flat_hash_map<int64_t, int64_t> prototype_of;  // a kfunc's first prototype seen
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    const int64_t kfunc = select->ColumnInt64(0), prototype = select->ColumnInt64(5);
    if (prototype_of.try_emplace(kfunc, prototype).first->second != prototype) {
      before.several_prototypes.insert(kfunc);
    }
    if (select->ColumnText(1) == variant.arch && select->ColumnText(2) == variant.flavour) {
      before.at_variant[{kfunc, select->ColumnInt64(3), select->ColumnInt64(4), prototype}] = select->ColumnInt64(6);
    }
  }
  KFUNCDB_ASSIGN_OR_RETURN(before.in_conflict,
                           KfuncSet(db, "SELECT kfunc_name_id FROM conflicts WHERE lineage_id = ? AND point = ?",
                                    lineage.value(), point.value()));
  return before;
}

absl::StatusOr<std::vector<BuildKfunc>> LoadBuildKfuncs(sqlite::Database& db, BuildRowId build, bool flags_known) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * select,
      db.Prepared("SELECT kfunc_name_id, flags, prototype_id FROM build_kfuncs WHERE build_id = ?"
                  " ORDER BY kfunc_name_id, id"));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(build.value()));
  std::vector<BuildKfunc> kfuncs;
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    NameRowId name(select->ColumnInt64(0));
    std::optional<int64_t> flags = select->ColumnOptionalInt64(1);
    if (kfuncs.empty() || kfuncs.back().name != name) {
      kfuncs.push_back({name, flags_known ? std::optional<uint32_t>(0) : std::nullopt,
                        PrototypeRowId(select->ColumnInt64(2))});
    }
    BuildKfunc& kfunc = kfuncs.back();
    // One entry without a flags word makes the kfunc's flags unknown in this build.
    if (kfunc.flags && flags) {
      *kfunc.flags |= static_cast<uint32_t>(*flags);
    } else {
      kfunc.flags.reset();
    }
  }
  return kfuncs;
}

// Adds the build's kfuncs to the point's aggregates (AddVariant counted it
// in the variant's builds, now `variant_builds`); `before` is the point as
// it was (empty for a variant's first build there). Returns the kfuncs
// whose derivation inputs changed in a way that can change their
// lifecycle: those whose (flags, prototype) combination is not shared by
// every build of the variant at the point (new word or prototype, a
// presence conflict appearing or its counts changing), and those in a
// conflict there (its details count builds).
//
// Rows count the variant's builds that did not show them (missing,
// migrations/0005), so a build showing exactly the rows its variant has at
// the point (the usual case) changes no row but examples it lowers: one
// UPDATE over that range of the key that writes only those. Otherwise one
// cached single-row statement per row that changes.
absl::StatusOr<absl::flat_hash_set<int64_t>> AddKfuncAggregates(sqlite::Database& db, LineageRowId lineage,
                                                                const std::string& point_name,
                                                                const BuildFacts& build,
                                                                const std::vector<BuildKfunc>& kfuncs,
                                                                int64_t variant_builds, const PointBefore& before,
                                                                VariantRows* cached) {
  auto key_of = [](const BuildKfunc& kfunc) {
    return std::make_tuple(kfunc.name.value(), int64_t{kfunc.flags.has_value()},
                           static_cast<int64_t>(kfunc.flags.value_or(0)), kfunc.prototype.value());
  };
  // A kfunc whose row the build matched keeps its lifecycle when every
  // earlier build of the variant showed that row and no conflict there
  // counts builds.
  auto may_change = [&](int64_t name, int64_t missing) { return missing != 0 || before.in_conflict.contains(name); };
  absl::flat_hash_set<int64_t> changed;
  absl::flat_hash_set<ObservationKey> shown;
  for (const BuildKfunc& kfunc : kfuncs) shown.insert(key_of(kfunc));
  const bool same_rows = shown.size() == before.at_variant.size() &&
                         std::all_of(shown.begin(), shown.end(),
                                     [&](const ObservationKey& key) { return before.at_variant.contains(key); });
  // The snapshot's copy of the variant's rows follows the table.
  auto follow_examples = [&] {
    if (cached != nullptr) cached->example_bound = std::max(cached->example_bound, build.label);
  };
  if (same_rows) {
    // Only examples greater than the label change; the snapshot may know
    // there are none.
    if (cached == nullptr || build.label < cached->example_bound) {
      KFUNCDB_ASSIGN_OR_RETURN(
          sqlite::Statement * lower,
          db.Prepared("UPDATE kfunc_point_observations SET example = ?1 WHERE lineage_id = ?2 AND point_name = ?3"
                      " AND arch = ?4 AND flavour = ?5 AND example > ?1"));
      KFUNCDB_RETURN_IF_ERROR(
          lower->BindAll(build.label, lineage.value(), point_name, build.variant.arch, build.variant.flavour));
      KFUNCDB_RETURN_IF_ERROR(lower->Run());
    }
    for (const auto& [key, missing] : before.at_variant) {
      if (may_change(std::get<0>(key), missing)) changed.insert(std::get<0>(key));
    }
    follow_examples();
    return changed;
  }
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * lower,
      db.Prepared("UPDATE kfunc_point_observations SET example = ?1 WHERE lineage_id = ?2 AND point_name = ?3"
                  " AND arch = ?4 AND flavour = ?5 AND kfunc_name_id = ?6 AND flags_known = ?7 AND flags = ?8"
                  " AND prototype_id = ?9 AND example > ?1"));
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * insert,
      db.Prepared("INSERT INTO kfunc_point_observations (example, lineage_id, point_name, arch, flavour,"
                  " kfunc_name_id, flags_known, flags, prototype_id, missing)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * miss,
      db.Prepared("UPDATE kfunc_point_observations SET missing = missing + 1 WHERE lineage_id = ? AND point_name = ?"
                  " AND arch = ? AND flavour = ? AND kfunc_name_id = ? AND flags_known = ? AND flags = ?"
                  " AND prototype_id = ?"));
  for (const ObservationKey& key : shown) {
    const auto& [name, flags_known, flags, prototype] = key;
    auto seen = before.at_variant.find(key);
    if (seen == before.at_variant.end()) {
      // Every earlier build of the variant lacked it.
      KFUNCDB_RETURN_IF_ERROR(insert->BindAll(build.label, lineage.value(), point_name, build.variant.arch,
                                              build.variant.flavour, name, flags_known, flags, prototype,
                                              variant_builds - 1));
      KFUNCDB_RETURN_IF_ERROR(insert->Run());
      if (cached != nullptr) cached->missing[key] = variant_builds - 1;
      changed.insert(name);
      continue;
    }
    KFUNCDB_RETURN_IF_ERROR(lower->BindAll(build.label, lineage.value(), point_name, build.variant.arch,
                                           build.variant.flavour, name, flags_known, flags, prototype));
    KFUNCDB_RETURN_IF_ERROR(lower->Run());
    if (may_change(name, seen->second)) changed.insert(name);
  }
  for (const auto& [key, missing] : before.at_variant) {
    if (shown.contains(key)) continue;
    const auto& [name, flags_known, flags, prototype] = key;
    KFUNCDB_RETURN_IF_ERROR(miss->BindAll(lineage.value(), point_name, build.variant.arch, build.variant.flavour,
                                          name, flags_known, flags, prototype));
    KFUNCDB_RETURN_IF_ERROR(miss->Run());
    if (db.changes() != 1) {
      return absl::DataLossError(absl::StrCat("kfunc_point_observations of lineage ", lineage.value(), " point '",
                                              point_name, "' lost a row while a build was added"));
    }
    if (cached != nullptr) ++cached->missing[key];
    changed.insert(name);
  }
  follow_examples();
  return changed;
}

// ---- Derivation inputs ----

struct LoadedLineage {
  LineageContext context;
  absl::flat_hash_map<std::string, int32_t> point_by_name;
};

absl::StatusOr<LoadedLineage> LoadLineage(sqlite::Database& db, const Settings& settings, LineageRowId lineage) {
  LoadedLineage loaded;
  loaded.context.catalog = &settings.catalog;
  loaded.context.window_releases = settings.policy.window_releases;
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * points,
      db.Prepared("SELECT ordinal, name, release_ordinal FROM lineage_points WHERE lineage_id = ? ORDER BY ordinal"));
  KFUNCDB_RETURN_IF_ERROR(points->BindAll(lineage.value()));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, points->Step());
    if (!row) break;
    if (points->ColumnInt64(0) != static_cast<int64_t>(loaded.context.points.size())) {
      points->Reset();
      return absl::DataLossError(absl::StrCat("lineage_points of lineage ", lineage.value(), " are not dense"));
    }
    LineagePointInfo point;
    point.name = points->ColumnString(1);
    point.release = ReleaseOrdinal(static_cast<int32_t>(points->ColumnInt64(2)));
    point.masks = settings.policy.MasksAt(point.release);
    loaded.point_by_name[point.name] = static_cast<int32_t>(loaded.context.points.size());
    loaded.context.points.push_back(std::move(point));
  }
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * variants,
      db.Prepared("SELECT point_name, arch, flavour, builds FROM lineage_point_variants WHERE lineage_id = ?"));
  KFUNCDB_RETURN_IF_ERROR(variants->BindAll(lineage.value()));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, variants->Step());
    if (!row) break;
    auto it = loaded.point_by_name.find(variants->ColumnString(0));
    if (it == loaded.point_by_name.end()) {
      std::string name = variants->ColumnString(0);
      variants->Reset();
      return absl::DataLossError(absl::StrCat("lineage_point_variants names point '", name,
                                              "' that lineage ", lineage.value(), " does not have"));
    }
    loaded.context.points[it->second].variants.push_back(
        {{variants->ColumnString(1), variants->ColumnString(2)}, static_cast<int>(variants->ColumnInt64(3))});
  }
  return loaded;
}

// The entry of `entries` that `match`es, created with `make` when none does.
template <typename Entry, typename Match, typename Make>
Entry& Tally(std::vector<Entry>& entries, Match match, Make make) {
  for (Entry& entry : entries) {
    if (match(entry)) return entry;
  }
  entries.push_back(make());
  return entries.back();
}

absl::StatusOr<const PrototypeText*> LookUpPrototype(sqlite::Database& db, PrototypeTexts& texts, int64_t id) {
  auto it = texts.find(id);
  if (it != texts.end()) return &it->second;
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * select,
                           db.Prepared("SELECT prototype, signature_hash FROM prototypes WHERE id = ?"));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(id));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return absl::DataLossError(absl::StrCat("kfunc_point_observations names unknown prototype id ", id));
  PrototypeText& text = texts[id];
  text = {select->ColumnString(0), select->ColumnString(1)};
  select->Reset();
  return &text;
}

// Adds `builds` builds of one variant that showed the kfunc at a point with
// one flags word (when known) and prototype, the smallest of their labels
// being `example`. Folding is additive: folding a build's row into the
// observations equals reading them back after the row was counted. The
// observation is left canonical (DeriveCanonicalKfuncLifecycle).
absl::Status FoldObservation(sqlite::Database& db, PrototypeTexts& prototypes, KfuncPointObservation& observation,
                             std::string_view arch, std::string_view flavour, std::optional<uint32_t> flags,
                             PrototypeRowId prototype, int builds, std::string_view example) {
  auto lower_to = [&](std::string& current) {
    if (example < current) current.assign(example);
  };
  bool grew = false;  // an entry appended: the order must be restored
  Tally(observation.presence,
        [&](const VariantCount& v) { return v.variant.arch == arch && v.variant.flavour == flavour; },
        [&] {
          grew = true;
          return VariantCount{{std::string(arch), std::string(flavour)}, 0};
        })
      .builds += builds;
  if (flags) {
    FlagsVote& vote = Tally(observation.flags, [&](const FlagsVote& v) { return v.flags == *flags; },
                            [&] {
                              grew = true;
                              return FlagsVote{*flags, 0, std::string(example)};
                            });
    vote.builds += builds;
    lower_to(vote.example);
  }
  auto vote = std::find_if(observation.prototypes.begin(), observation.prototypes.end(),
                           [&](const PrototypeVote& v) { return v.prototype == prototype; });
  if (vote != observation.prototypes.end()) {
    vote->builds += builds;
    lower_to(vote->example);
  } else {
    KFUNCDB_ASSIGN_OR_RETURN(const PrototypeText* text, LookUpPrototype(db, prototypes, prototype.value()));
    observation.prototypes.push_back({prototype, text->text, text->signature_hash, builds, std::string(example)});
    grew = true;
  }
  if (grew) CanonicalizeObservation(observation);
  return absl::OkStatus();
}

// The observation of `point` in `by_point`, made (in point order) when
// there is none. Builds mostly come to the last point.
KfuncPointObservation& ObservationAt(PointObservations& by_point, PointOrdinal point) {
  auto it = by_point.end();
  if (!by_point.empty() && by_point.back().point >= point) {
    it = std::lower_bound(by_point.begin(), by_point.end(), point,
                          [](const KfuncPointObservation& o, PointOrdinal p) { return o.point < p; });
  }
  if (it == by_point.end() || it->point != point) {
    it = by_point.insert(it, KfuncPointObservation{});
    it->point = point;
  }
  return *it;
}

// Folds kfunc_point_observations rows of the lineage (or of one kfunc) into
// per-point observations: builds per variant, per flags word, per prototype.
// Rows are folded from the columns' bytes in place (strings are copied only
// into entries they create or examples they lower), and each prototype's
// text is read once (`prototypes` carries them across calls).
absl::StatusOr<ObservationsByKfunc> LoadObservations(sqlite::Database& db, LineageRowId lineage,
                                                     const LoadedLineage& loaded, std::optional<NameRowId> kfunc,
                                                     PrototypeTexts& prototypes, RowsByVariant* by_variant) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * select,
      db.Prepared(absl::StrCat("SELECT kfunc_name_id, point_name, arch, flavour, flags_known, flags, prototype_id,"
                               " missing, example FROM kfunc_point_observations WHERE lineage_id = ?1",
                               kfunc ? " AND kfunc_name_id = ?2" : "")));
  KFUNCDB_RETURN_IF_ERROR(select->Bind(1, lineage.value()));
  if (kfunc) KFUNCDB_RETURN_IF_ERROR(select->Bind(2, kfunc->value()));
  ObservationsByKfunc observations;
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    auto point = loaded.point_by_name.find(ToAbsl(select->ColumnText(1)));
    if (point == loaded.point_by_name.end()) {
      std::string name = select->ColumnString(1);
      select->Reset();
      return absl::DataLossError(absl::StrCat("kfunc_point_observations names unknown point '", name, "'"));
    }
    KfuncPointObservation& observation =
        ObservationAt(observations[select->ColumnInt64(0)], PointOrdinal(point->second));
    const std::optional<uint32_t> flags =
        select->ColumnInt64(4) != 0 ? std::optional<uint32_t>(static_cast<uint32_t>(select->ColumnInt64(5)))
                                    : std::nullopt;
    const std::string_view arch = select->ColumnText(2), flavour = select->ColumnText(3);
    const auto& variants = loaded.context.points[point->second].variants;
    auto variant = std::find_if(variants.begin(), variants.end(), [&](const VariantCount& v) {
      return v.variant.arch == arch && v.variant.flavour == flavour;
    });
    const int64_t missing = select->ColumnInt64(7);
    if (variant == variants.end() || missing < 0 || missing >= variant->builds) {
      std::string what = absl::StrCat(ToAbsl(arch), "/", ToAbsl(flavour), " at '", point->first, "'");
      select->Reset();
      return absl::DataLossError(absl::StrCat("kfunc_point_observations row of ", what, " misses ", missing,
                                              " builds of the variant's ",
                                              variant == variants.end() ? 0 : variant->builds));
    }
    if (by_variant != nullptr) {
      VariantRows& rows = (*by_variant)[std::make_tuple(point->second, std::string(arch), std::string(flavour))];
      rows.missing[{select->ColumnInt64(0), select->ColumnInt64(4), select->ColumnInt64(5), select->ColumnInt64(6)}] =
          missing;
      const std::string_view example = select->ColumnText(8);
      if (example > rows.example_bound) rows.example_bound.assign(example);
    }
    absl::Status folded = FoldObservation(db, prototypes, observation, arch, flavour, flags,
                                          PrototypeRowId(select->ColumnInt64(6)),
                                          static_cast<int>(variant->builds - missing), select->ColumnText(8));
    if (!folded.ok()) {
      select->Reset();
      return folded;
    }
  }
  return observations;
}

// ---- Derived rows ----

// Derives `kfunc` from its observations (`by_point`, nullptr: it has none,
// so no rows), writes what differs from its `stored` rows (see
// lifecycle_rows.h) and leaves `stored` holding the rows written.
absl::Status DeriveKfunc(LifecycleRowWriter& writer, LineageRowId lineage, const LoadedLineage& loaded,
                         int64_t kfunc, const PointObservations* by_point,
                         LifecycleRows& stored) {
  LifecycleRows derived;
  if (by_point != nullptr) {
    std::vector<const KfuncPointObservation*> inputs;  // by point, each canonical
    inputs.reserve(by_point->size());
    for (const KfuncPointObservation& observation : *by_point) inputs.push_back(&observation);
    absl::StatusOr<KfuncLifecycle> lifecycle = DeriveCanonicalKfuncLifecycle(loaded.context, inputs);
    if (!lifecycle.ok()) {
      return absl::DataLossError(absl::StrCat("lifecycle of kfunc name id ", kfunc, " in lineage ",
                                              lineage.value(), ": ", lifecycle.status().message()));
    }
    derived = ToLifecycleRows(*lifecycle);
  }
  KFUNCDB_RETURN_IF_ERROR(writer.Write(NameRowId(kfunc), stored, derived));
  stored = std::move(derived);
  return absl::OkStatus();
}

// Derives `kfuncs` (or every kfunc with observations or rows, when unset)
// from `snapshot` and writes what differs; `snapshot.rows` follows.
absl::Status DeriveFromSnapshot(sqlite::Database& db, LineageRowId lineage, const LoadedLineage& loaded,
                                const std::optional<std::vector<int64_t>>& kfuncs, LineageSnapshot& snapshot) {
  std::vector<int64_t> all;
  if (!kfuncs) {
    for (const auto& [kfunc, by_point] : snapshot.observations) all.push_back(kfunc);
    for (const auto& [kfunc, rows] : snapshot.rows) {
      if (!snapshot.observations.contains(kfunc)) all.push_back(kfunc);  // none today: aggregates only grow
    }
    std::sort(all.begin(), all.end());  // rows written in one order whatever the maps' is
  }
  LifecycleRowWriter writer(db, lineage);
  for (int64_t kfunc : kfuncs ? *kfuncs : all) {
    auto observed = snapshot.observations.find(kfunc);
    LifecycleRows& stored = snapshot.rows[kfunc];
    KFUNCDB_RETURN_IF_ERROR(DeriveKfunc(writer, lineage, loaded,
                                        kfunc, observed == snapshot.observations.end() ? nullptr : &observed->second,
                                        stored));
    if (!stored.main) snapshot.rows.erase(kfunc);
  }
  return writer.Flush();
}

// The lineage as the tables hold it.
absl::StatusOr<LineageSnapshot> LoadSnapshot(sqlite::Database& db, LineageRowId lineage,
                                             const LoadedLineage& loaded) {
  LineageSnapshot snapshot;
  KFUNCDB_ASSIGN_OR_RETURN(snapshot.observations,
                           LoadObservations(db, lineage, loaded, std::nullopt, snapshot.prototypes,
                                            &snapshot.variant_rows));
  KFUNCDB_ASSIGN_OR_RETURN(snapshot.rows, LoadLifecycleRows(db, lineage, std::nullopt));
  return snapshot;
}

// Re-derives `kfuncs`: from `snapshot` when there is one, else reading each
// kfunc's observations and rows.
absl::Status RecomputeKfuncs(sqlite::Database& db, const Settings& settings, LineageRowId lineage,
                             const absl::flat_hash_set<int64_t>& kfuncs, LineageSnapshot* snapshot) {
  if (kfuncs.empty()) return absl::OkStatus();
  KFUNCDB_ASSIGN_OR_RETURN(LoadedLineage loaded, LoadLineage(db, settings, lineage));
  std::vector<int64_t> ordered(kfuncs.begin(), kfuncs.end());
  std::sort(ordered.begin(), ordered.end());
  if (snapshot != nullptr) return DeriveFromSnapshot(db, lineage, loaded, ordered, *snapshot);
  PrototypeTexts prototypes;
  LifecycleRowWriter writer(db, lineage);
  for (int64_t kfunc : ordered) {
    KFUNCDB_ASSIGN_OR_RETURN(ObservationsByKfunc observations,
                             LoadObservations(db, lineage, loaded, NameRowId(kfunc), prototypes, nullptr));
    KFUNCDB_ASSIGN_OR_RETURN(LifecycleRowsByKfunc stored, LoadLifecycleRows(db, lineage, NameRowId(kfunc)));
    auto observed = observations.find(kfunc);
    KFUNCDB_RETURN_IF_ERROR(DeriveKfunc(writer, lineage, loaded, kfunc,
                                        observed == observations.end() ? nullptr : &observed->second,
                                        stored[kfunc]));
  }
  return writer.Flush();
}

// Counts the build in `snapshot`'s observations as AddKfuncAggregates
// counted it in the table.
absl::Status FoldBuild(sqlite::Database& db, LineageSnapshot& snapshot, PointOrdinal point,
                       const BuildFacts& build, const std::vector<BuildKfunc>& kfuncs) {
  for (const BuildKfunc& kfunc : kfuncs) {
    KfuncPointObservation& observation = ObservationAt(snapshot.observations[kfunc.name.value()], point);
    KFUNCDB_RETURN_IF_ERROR(FoldObservation(db, snapshot.prototypes, observation, build.variant.arch,
                                            build.variant.flavour, kfunc.flags, kfunc.prototype, 1, build.label));
  }
  return absl::OkStatus();
}

absl::StatusOr<PointOrdinal> PointOrdinalOf(sqlite::Database& db, LineageRowId lineage, const std::string& name) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * select,
                           db.Prepared("SELECT ordinal FROM lineage_points WHERE lineage_id = ? AND name = ?"));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(lineage.value(), name));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return absl::DataLossError(absl::StrCat("lineage ", lineage.value(), " has no point '", name, "'"));
  PointOrdinal point(static_cast<int32_t>(select->ColumnInt64(0)));
  select->Reset();
  return point;
}

// Counts the build in `lineage`, starting from its `snapshot` when the
// writer kept a current one, and files the lineage's snapshot again.
absl::Status CountBuildInLineage(sqlite::Database& db, const std::shared_ptr<const Settings>& shared_settings,
                                 BuildRowId build, const BuildFacts& facts, const std::vector<BuildKfunc>& kfuncs,
                                 const LineageRef& lineage, ReleaseOrdinal release,
                                 std::optional<LineageSnapshot> snapshot) {
  const Settings& settings = *shared_settings;
  const std::string point_name = !CountsOnCatalog(lineage.kind) && !facts.upstream_version.empty()
                                     ? facts.upstream_version
                                     : facts.release;
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * member,
      db.Prepared("INSERT OR IGNORE INTO lineage_builds (lineage_id, build_id, point_name) VALUES (?, ?, ?)"));
  KFUNCDB_RETURN_IF_ERROR(member->BindAll(lineage.id.value(), build.value(), point_name));
  KFUNCDB_RETURN_IF_ERROR(member->Run());
  if (db.changes() == 0) return StampLineage(db, lineage.id, std::move(snapshot));  // already counted

  KFUNCDB_ASSIGN_OR_RETURN(bool new_point, AddPoint(db, lineage, point_name, release));
  // A new point of a distribution lineage renumbers the points after it.
  if (new_point && !CountsOnCatalog(lineage.kind)) snapshot.reset();
  KFUNCDB_ASSIGN_OR_RETURN(int64_t variant_builds, AddVariant(db, lineage.id, point_name, facts.variant));
  bool new_arch = false;
  if (!new_point && variant_builds == 1) {
    KFUNCDB_ASSIGN_OR_RETURN(bool arch_seen, ArchSeenBefore(db, lineage.id, point_name, facts.variant.arch));
    new_arch = !arch_seen;
  }
  KFUNCDB_ASSIGN_OR_RETURN(PointOrdinal point, PointOrdinalOf(db, lineage.id, point_name));
  PointBefore before;
  if (snapshot) {
    before = PointBeforeFromSnapshot(*snapshot, point, facts.variant, kfuncs);
  } else {
    KFUNCDB_ASSIGN_OR_RETURN(before, PointBeforeFromTables(db, lineage.id, point, point_name, facts.variant));
  }
  KFUNCDB_ASSIGN_OR_RETURN(absl::flat_hash_set<int64_t> changed,
                           AddKfuncAggregates(db, lineage.id, point_name, facts, kfuncs, variant_builds, before,
                                              snapshot ? &snapshot->variant_rows[std::make_tuple(
                                                             point.value(), facts.variant.arch, facts.variant.flavour)]
                                                       : nullptr));
  if (snapshot) KFUNCDB_RETURN_IF_ERROR(FoldBuild(db, *snapshot, point, facts, kfuncs));
  if (new_point || new_arch) {
    // The point now says something about every kfunc seen on this arch:
    // absences elsewhere in the lineage become meaningful. The snapshot
    // made here is what later builds of this writer start from.
    KFUNCDB_ASSIGN_OR_RETURN(LoadedLineage loaded, LoadLineage(db, settings, lineage.id));
    if (!snapshot) {
      KFUNCDB_ASSIGN_OR_RETURN(snapshot, LoadSnapshot(db, lineage.id, loaded));
      snapshot->settings = shared_settings;
    }
    KFUNCDB_RETURN_IF_ERROR(DeriveFromSnapshot(db, lineage.id, loaded, std::nullopt, *snapshot));
    return StampLineage(db, lineage.id, std::move(snapshot));
  }
  for (const BuildKfunc& kfunc : kfuncs) {
    const int64_t name = kfunc.name.value();
    // A new flavour adds availability rows; an existing conflict or several
    // prototypes make details and the representative depend on counts.
    if (variant_builds == 1 || before.in_conflict.contains(name) || before.several_prototypes.contains(name)) {
      changed.insert(name);
    }
  }
  KFUNCDB_RETURN_IF_ERROR(RecomputeKfuncs(db, settings, lineage.id, changed, snapshot ? &*snapshot : nullptr));
  return StampLineage(db, lineage.id, std::move(snapshot));
}

absl::Status RebuildLineagePoints(sqlite::Database& db, const Settings& settings, const LineageRef& lineage) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * select,
      db.Prepared("SELECT lb.point_name, min(b.release) FROM lineage_builds lb JOIN builds b ON b.id = lb.build_id"
                  " WHERE lb.lineage_id = ? GROUP BY lb.point_name"));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(lineage.id.value()));
  std::vector<DistributionPoint> points;
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    std::string release_name = select->ColumnString(1);
    absl::StatusOr<ReleaseOrdinal> release = ResolveBuildRelease(settings, release_name);
    if (!release.ok()) {
      select->Reset();
      return release.status();
    }
    points.push_back({select->ColumnString(0), *release});
  }
  if (!CountsOnCatalog(lineage.kind)) return WriteDistributionPoints(db, lineage.id, std::move(points));
  KFUNCDB_RETURN_IF_ERROR(EnsureCatalogPoints(db, lineage.id));
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * mark,
      db.Prepared("UPDATE lineage_points SET has_builds = 1 WHERE lineage_id = ? AND ordinal = ?"));
  for (const DistributionPoint& point : points) {
    KFUNCDB_RETURN_IF_ERROR(mark->BindAll(lineage.id.value(), point.release.value()));
    KFUNCDB_RETURN_IF_ERROR(mark->Run());
  }
  return absl::OkStatus();
}

absl::Status RecomputeWithCatalog(sqlite::Database& db, const ReleaseCatalog& catalog) {
  KFUNCDB_RETURN_IF_ERROR(RequireTransaction(db, "lifecycle recompute"));
  // Derived rows and points reference releases rows: remove them first.
  for (const char* table : kDerivedTables) {
    KFUNCDB_RETURN_IF_ERROR(db.Execute(absl::StrCat("DELETE FROM ", table)));
  }
  KFUNCDB_RETURN_IF_ERROR(db.Execute("DELETE FROM lineage_points"));
  KFUNCDB_RETURN_IF_ERROR(ForgetAllStamps(db));
  KFUNCDB_ASSIGN_OR_RETURN(LifecyclePolicy policy, LoadLifecyclePolicy(db, catalog));
  KFUNCDB_RETURN_IF_ERROR(WriteReleaseRows(db, catalog, policy));
  const Settings settings{catalog, policy};

  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * select,
      db.Prepared("SELECT l.name FROM lineages l WHERE l.id IN (SELECT DISTINCT lineage_id FROM lineage_builds)"
                  " ORDER BY l.id"));
  std::vector<std::string> names;
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    names.push_back(select->ColumnString(0));
  }
  for (const std::string& name : names) {
    KFUNCDB_ASSIGN_OR_RETURN(LineageRef lineage, LineageByName(db, name));
    KFUNCDB_RETURN_IF_ERROR(RebuildLineagePoints(db, settings, lineage));
    KFUNCDB_ASSIGN_OR_RETURN(LoadedLineage loaded, LoadLineage(db, settings, lineage.id));
    KFUNCDB_ASSIGN_OR_RETURN(LineageSnapshot snapshot, LoadSnapshot(db, lineage.id, loaded));
    KFUNCDB_RETURN_IF_ERROR(DeriveFromSnapshot(db, lineage.id, loaded, std::nullopt, snapshot));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status UpdateLifecycleForBuild(sqlite::Database& db, BuildRowId build) {
  const absl::Time start = absl::Now();
  KFUNCDB_RETURN_IF_ERROR(RequireTransaction(db, "lifecycle upkeep"));
  KFUNCDB_ASSIGN_OR_RETURN(BuildFacts facts, LoadBuild(db, build));
  std::vector<LineageRef> lineages;
  std::vector<std::optional<LineageSnapshot>> snapshots;
  std::shared_ptr<const Settings> settings;
  for (const LineageAssignment& member : MemberLineages({facts.home.name, facts.home.kind})) {
    LineageRef lineage = facts.home;
    if (member.name != facts.home.name) {
      KFUNCDB_ASSIGN_OR_RETURN(lineage, LineageByName(db, member.name));
    }
    KFUNCDB_ASSIGN_OR_RETURN(std::optional<LineageSnapshot> snapshot, TakeSnapshot(db, lineage.id));
    if (snapshot && !settings) settings = snapshot->settings;
    lineages.push_back(std::move(lineage));
    snapshots.push_back(std::move(snapshot));
  }
  if (!settings) {
    KFUNCDB_ASSIGN_OR_RETURN(settings, LoadSettings(db));
  }
  KFUNCDB_ASSIGN_OR_RETURN(ReleaseOrdinal release, ResolveBuildRelease(*settings, facts.release));
  KFUNCDB_ASSIGN_OR_RETURN(std::vector<BuildKfunc> kfuncs, LoadBuildKfuncs(db, build, facts.flags_known));
  for (size_t i = 0; i < lineages.size(); ++i) {
    KFUNCDB_RETURN_IF_ERROR(
        CountBuildInLineage(db, settings, build, facts, kfuncs, lineages[i], release, std::move(snapshots[i])));
  }
  upkeep_builds.fetch_add(1, std::memory_order_relaxed);
  upkeep_nanoseconds.fetch_add(absl::ToInt64Nanoseconds(absl::Now() - start), std::memory_order_relaxed);
  return absl::OkStatus();
}

absl::Status RecomputeAllLifecycle(sqlite::Database& db) {
  KFUNCDB_ASSIGN_OR_RETURN(ReleaseCatalog catalog, LoadReleaseCatalog(db));
  return RecomputeWithCatalog(db, catalog);
}

absl::Status ImportReleaseCatalog(sqlite::Database& db, const ReleaseCatalog& catalog) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Transaction transaction, sqlite::Transaction::Begin(db));
  KFUNCDB_RETURN_IF_ERROR(RecomputeWithCatalog(db, catalog));
  return transaction.Commit();
}

absl::Status ChangeLifecyclePolicy(sqlite::Database& db, const PolicyChange& change) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Transaction transaction, sqlite::Transaction::Begin(db));
  KFUNCDB_RETURN_IF_ERROR(WritePolicyChange(db, change));
  KFUNCDB_RETURN_IF_ERROR(RecomputeAllLifecycle(db));
  return transaction.Commit();
}

UpkeepCounters LifecycleUpkeepCounters() {
  return {upkeep_builds.load(std::memory_order_relaxed),
          absl::Nanoseconds(upkeep_nanoseconds.load(std::memory_order_relaxed))};
}

}  // namespace kfuncdb::store
