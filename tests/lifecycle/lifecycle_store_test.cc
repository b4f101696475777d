// Lifecycle upkeep on real SQLite files, through the real BuildWriter: a
// synthetic mainline of twelve releases (6.12 .. 7.3, with 6.16 missing
// from the database) whose kfuncs tell every story of docs/lifecycle.md,
// then the same builds in another order, random builds against a full
// recompute, stale in-memory snapshots of the writer, a distribution
// lineage, a catalog import and a policy change.
#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/sqlite/migrations.h"
#include "common/sqlite/transaction.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/store/build_writer.h"
#include "ingest/store/lifecycle_upkeep.h"
#include "tests/lifecycle/sql_rows.h"
#include "tests/support/test_support.h"

namespace kfuncdb::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using kfuncdb::v1::BuildRecord;

constexpr uint32_t kStable = 1u << 30;
constexpr uint32_t kDeprecated = 1u << 31;

struct KfuncSpec {
  std::string name;
  std::optional<uint32_t> flags;  // nullopt: raw BTF (unknown)
  std::string signature = "sig";
  std::string params = "int a";
  std::string set = "set_a";
};

// Deterministic stand-in for a content digest: 64 hex digits from a label.
std::string FakeSha256(const std::string& label) {
  uint64_t hash = 1469598103934665603ull;
  for (char c : label) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return absl::StrFormat("%016x%016x%016x%016x", hash, hash ^ 1, hash ^ 2, hash ^ 3);
}

BuildRecord Record(const std::string& release, const std::string& arch, const std::string& tag,
                   const std::vector<KfuncSpec>& kfuncs) {
  BuildRecord record;
  record.set_kernel_release(absl::StrCat(release, ".0-", tag, "-", arch));
  record.set_release(release);
  record.set_arch(arch);
  record.set_flavour(absl::StrCat("cloud-", arch));
  record.set_content_sha256(FakeSha256(record.kernel_release()));
  record.add_inputs("vmlinux");
  bool flags_known = true;
  for (const KfuncSpec& spec : kfuncs) {
    kfuncdb::v1::KfuncRecord* kfunc = record.add_kfuncs();
    kfunc->set_name(spec.name);
    kfunc->set_owner("vmlinux");
    if (spec.flags) {
      kfunc->set_flags(*spec.flags);
      kfunc->set_set_name(spec.set);
      kfunc->set_set_flags(1);
      kfunc->set_source(kfuncdb::v1::KFUNC_SOURCE_SET_SYMBOL);
    } else {
      flags_known = false;
      kfunc->set_source(kfuncdb::v1::KFUNC_SOURCE_DECL_TAG);
    }
    kfunc->set_prototype(absl::StrCat(spec.signature == "sig" ? "int " : "long ", spec.name, "(", spec.params, ")"));
    kfunc->set_signature_hash(spec.signature);
    kfunc->set_btf_id(100 + record.kfuncs_size());
  }
  record.set_flags_known(flags_known);
  return record;
}

const std::vector<std::string> kReleases = {"6.12", "6.13", "6.14", "6.15", "6.16", "6.17",
                                            "6.18", "6.19", "7.0",  "7.1",  "7.2",  "7.3"};
constexpr char kMissing[] = "6.16";

// The kfuncs of the amd64 build of kReleases[i].
std::vector<KfuncSpec> Amd64Kfuncs(size_t i) {
  const std::string& release = kReleases[i];
  std::vector<KfuncSpec> kfuncs = {{"k_always", 0x1}};
  if (i >= 5) kfuncs.push_back({"k_new", 0});           // 6.17, after the missing 6.16
  if (i >= 2) kfuncs.push_back({"k_exact", 0});         // 6.14, right after 6.13
  kfuncs.push_back({"k_life", i < 2 ? 0x1 : i < 7 ? 0x1 | kStable : 0x1 | kStable | kDeprecated});
  if (i < 3) kfuncs.push_back({"k_early_removed", i == 0 ? kStable : kStable | kDeprecated});
  if (i < 3) kfuncs.push_back({"k_stable_removed", kStable});
  // Renamed parameter at 6.14 (no change), new return type at 6.18.
  kfuncs.push_back({"k_proto", kStable, i >= 6 ? "sig2" : "sig", i >= 2 ? "int renamed" : "int a"});
  kfuncs.push_back({"k_cleared", i < 2 ? kStable : 0u});
  if (i == 0 || i >= 8) kfuncs.push_back({"k_reused", kDeprecated});
  kfuncs.push_back({"k_two_sets", 0x1, "sig", "int a", "set_a"});
  kfuncs.push_back({"k_two_sets", 0x4, "sig", "int a", "set_b"});
  if (release == "7.1") kfuncs.push_back({"k_presence", 0});
  kfuncs.push_back({"k_conflict", 0x1});
  return kfuncs;
}

// Every build of the scenario, oldest release first.
std::vector<BuildRecord> ScenarioBuilds() {
  std::vector<BuildRecord> builds;
  for (size_t i = 0; i < kReleases.size(); ++i) {
    if (kReleases[i] == kMissing) continue;
    builds.push_back(Record(kReleases[i], "amd64", "1", Amd64Kfuncs(i)));
    if (kReleases[i] == "7.1") {
      // A second amd64 build of 7.1 that disagrees: flags and prototype of
      // k_conflict, and it lacks k_presence.
      std::vector<KfuncSpec> kfuncs = Amd64Kfuncs(i);
      std::erase_if(kfuncs, [](const KfuncSpec& k) { return k.name == "k_presence"; });
      for (KfuncSpec& k : kfuncs) {
        if (k.name == "k_conflict") k = {"k_conflict", 0x3, "sig2"};
      }
      builds.push_back(Record(kReleases[i], "amd64", "2", kfuncs));
    }
    if (kReleases[i] == "7.2") {
      // A second amd64 build of 7.2 just like the first, with a smaller
      // label: it changes no lifecycle, only the examples.
      builds.push_back(Record(kReleases[i], "amd64", "0", Amd64Kfuncs(i)));
    }
  }
  // arm64 builds at 6.12, 6.13 and 7.3 only, with an arm64-only kfunc.
  for (const char* release : {"6.12", "6.13", "7.3"}) {
    builds.push_back(Record(release, "arm64", "1", {{"k_always", 0x1}, {"k_arm", 0x2}}));
  }
  return builds;
}

class LifecycleStoreTest : public ::testing::Test {
 protected:
  sqlite::Database Open(const std::string& name) {
    absl::StatusOr<sqlite::Database> db = sqlite::OpenForWriting(dir_ / name);
    EXPECT_TRUE(db.ok()) << db.status();
    return std::move(db).value();
  }

  static void Ingest(sqlite::Database& db, const std::vector<BuildRecord>& builds) {
    BuildWriter writer(db);
    for (const BuildRecord& build : builds) {
      absl::StatusOr<WriteResult> result = writer.Write(build);
      ASSERT_TRUE(result.ok()) << build.kernel_release() << ": " << result.status();
    }
  }

  static std::vector<std::string> Rows(sqlite::Database& db, const std::string& sql) {
    return kfuncdb::testing::SqlRows(db, sql);
  }

  // The kfunc_lifecycle row of `kfunc` in mainline with names for ordinals.
  static std::string Lifecycle(sqlite::Database& db, const std::string& kfunc) {
    std::vector<std::string> rows = Rows(
        db, absl::StrCat(
                "SELECT pi.name, pa.name, k.introduced_exact, pl.name, k.stability_known, ps.name, pd.name,"
                " we.name, we.projected, we.date, er.name, pr.name, k.removed_exact, k.status"
                " FROM kfunc_lifecycle k JOIN names n ON n.id = k.kfunc_name_id"
                " JOIN lineages l ON l.id = k.lineage_id AND l.name = 'mainline'"
                " JOIN lineage_points pi ON pi.lineage_id = k.lineage_id AND pi.ordinal = k.introduced_in"
                " LEFT JOIN lineage_points pa ON pa.lineage_id = k.lineage_id AND pa.ordinal = k.introduced_after"
                " JOIN lineage_points pl ON pl.lineage_id = k.lineage_id AND pl.ordinal = k.last_present"
                " LEFT JOIN lineage_points ps ON ps.lineage_id = k.lineage_id AND ps.ordinal = k.stable_since"
                " LEFT JOIN lineage_points pd ON pd.lineage_id = k.lineage_id AND pd.ordinal = k.deprecated_since"
                " LEFT JOIN releases we ON we.ordinal = k.window_end_release"
                " LEFT JOIN releases er ON er.ordinal = k.earliest_removal_release"
                " LEFT JOIN lineage_points pr ON pr.lineage_id = k.lineage_id AND pr.ordinal = k.removed_in"
                " WHERE n.name = '", kfunc, "'"));
    return rows.size() == 1 ? rows[0] : absl::StrCat(rows.size(), " rows");
  }

  static std::vector<std::string> Runs(sqlite::Database& db, const std::string& table, const std::string& value,
                                       const std::string& kfunc) {
    return Rows(db, absl::StrCat("SELECT f.name, t.name, ", value, " FROM ", table,
                                 " r JOIN names n ON n.id = r.kfunc_name_id"
                                 " JOIN lineages l ON l.id = r.lineage_id AND l.name = 'mainline'"
                                 " JOIN lineage_points f ON f.lineage_id = r.lineage_id AND f.ordinal = r.from_point"
                                 " JOIN lineage_points t ON t.lineage_id = r.lineage_id AND t.ordinal = r.to_point"
                                 " WHERE n.name = '", kfunc, "' ORDER BY r.from_point"));
  }

  static std::vector<std::string> Events(sqlite::Database& db, const std::string& table, const std::string& kfunc) {
    return Rows(db, absl::StrCat("SELECT e.kind, p.name FROM ", table,
                                 " e JOIN names n ON n.id = e.kfunc_name_id"
                                 " JOIN lineages l ON l.id = e.lineage_id AND l.name = 'mainline'"
                                 " JOIN lineage_points p ON p.lineage_id = e.lineage_id AND p.ordinal = e.point"
                                 " WHERE n.name = '", kfunc, "' ORDER BY e.point, e.kind"));
  }

  // Every derived table and the aggregates, with names in place of row
  // ids, sorted: equal dumps mean equal lifecycle whatever order rows were
  // interned in.
  static std::vector<std::string> Dump(sqlite::Database& db) {
    std::vector<std::string> dump;
    const std::string join = " JOIN names n ON n.id = t.kfunc_name_id JOIN lineages l ON l.id = t.lineage_id";
    for (const std::string& sql : {
             std::string("SELECT l.name, t.ordinal, t.name, t.release_ordinal, t.has_builds FROM lineage_points t"
                         " JOIN lineages l ON l.id = t.lineage_id"),
             "SELECT l.name, n.name, t.introduced_in, t.introduced_after, t.introduced_exact, t.last_present,"
             " t.stability_known, t.stable_since, t.deprecated_since, t.window_end_release,"
             " t.earliest_removal_release, t.removed_in, t.removed_exact, t.status FROM kfunc_lifecycle t" + join,
             "SELECT l.name, n.name, t.from_point, t.to_point, t.status FROM kfunc_status_runs t" + join,
             "SELECT l.name, n.name, t.from_point, t.to_point, t.flags FROM kfunc_flag_runs t" + join,
             "SELECT l.name, n.name, t.from_point, t.to_point, p.prototype FROM kfunc_prototype_runs t" + join +
                 " JOIN prototypes p ON p.id = t.prototype_id",
             "SELECT l.name, n.name, t.arch, t.flavour, t.first_point, t.last_point FROM kfunc_availability t" + join,
             "SELECT l.name, n.name, t.kind, t.point, t.detail FROM violations t" + join,
             "SELECT l.name, n.name, t.kind, t.point, t.detail FROM conflicts t" + join,
             std::string("SELECT ordinal, name, date, date_approximate, projected FROM releases"),
             // The aggregates the derivations start from.
             std::string("SELECT l.name, t.point_name, t.arch, t.flavour, t.builds FROM lineage_point_variants t"
                         " JOIN lineages l ON l.id = t.lineage_id"),
             "SELECT l.name, n.name, t.point_name, t.arch, t.flavour, t.flags_known, t.flags, p.prototype,"
             " v.builds - t.missing, t.example FROM kfunc_point_observations t" + join +
                 " JOIN prototypes p ON p.id = t.prototype_id JOIN lineage_point_variants v"
                 " ON v.lineage_id = t.lineage_id AND v.point_name = t.point_name AND v.arch = t.arch"
                 " AND v.flavour = t.flavour",
         }) {
      std::vector<std::string> rows = Rows(db, sql);
      std::sort(rows.begin(), rows.end());
      dump.push_back(absl::StrCat(sql.substr(0, 60), ": ", rows.size(), " rows"));
      dump.insert(dump.end(), rows.begin(), rows.end());
    }
    return dump;
  }

  testing::ScratchDir dir_;
};

TEST_F(LifecycleStoreTest, SyntheticMainlineTellsEveryStory) {
  sqlite::Database db = Open("k.db");
  Ingest(db, ScenarioBuilds());

  // Columns: introduced_in, introduced_after, exact, last_present,
  // stability_known, stable_since, deprecated_since, window_end (name,
  // projected, date), earliest_removal, removed_in, removed_exact, status.
  EXPECT_EQ(Lifecycle(db, "k_always"), "6.12|-|0|7.3|1|-|-|-|-|-|-|-|0|unstable");
  EXPECT_EQ(Lifecycle(db, "k_new"), "6.17|6.15|0|7.3|1|-|-|-|-|-|-|-|0|unstable");
  EXPECT_EQ(Lifecycle(db, "k_exact"), "6.14|6.13|1|7.3|1|-|-|-|-|-|-|-|0|unstable");
  // Deprecated in 6.19: the window ends ten catalog positions later, past
  // the catalog's last release (7.3), so the name and date are projected.
  EXPECT_EQ(Lifecycle(db, "k_life"), "6.12|-|0|7.3|1|6.14|6.19|7.9|1|2027-10-31|7.10|-|0|deprecated");
  EXPECT_EQ(Lifecycle(db, "k_early_removed"), "6.12|-|0|6.14|1|6.12|6.13|7.3|0|2026-10-18|7.4|6.15|1|removed");
  EXPECT_EQ(Lifecycle(db, "k_arm"), "6.12|-|0|7.3|1|-|-|-|-|-|-|-|0|unstable");

  EXPECT_THAT(Runs(db, "kfunc_status_runs", "r.status", "k_life"),
              ElementsAre("6.12|6.13|unstable", "6.14|6.18|stable", "6.19|7.3|deprecated"));
  EXPECT_THAT(Runs(db, "kfunc_flag_runs", "r.flags", "k_life"),
              ElementsAre("6.12|6.13|1", absl::StrCat("6.14|6.18|", 0x1 | kStable),
                          absl::StrCat("6.19|7.3|", 0x1 | kStable | kDeprecated)));
  EXPECT_THAT(Runs(db, "kfunc_prototype_runs", "(SELECT prototype FROM prototypes WHERE id = r.prototype_id)",
                   "k_proto"),
              ElementsAre("6.12|6.13|int k_proto(int a)", "6.14|6.17|int k_proto(int renamed)",
                          "6.18|7.3|long k_proto(int renamed)"));
  // A kfunc in two sets: the build's flags are the union of its entries.
  EXPECT_THAT(Runs(db, "kfunc_flag_runs", "r.flags", "k_two_sets"), ElementsAre("6.12|7.3|5"));
  // arm64-only: the amd64-only releases 6.14 .. 7.2 do not remove it.
  EXPECT_THAT(Runs(db, "kfunc_status_runs", "r.status", "k_arm"), ElementsAre("6.12|7.3|unstable"));
  EXPECT_THAT(Rows(db, "SELECT a.arch, a.flavour, f.name, t.name FROM kfunc_availability a"
                       " JOIN names n ON n.id = a.kfunc_name_id AND n.name = 'k_arm'"
                       " JOIN lineage_points f ON f.lineage_id = a.lineage_id AND f.ordinal = a.first_point"
                       " JOIN lineage_points t ON t.lineage_id = a.lineage_id AND t.ordinal = a.last_point"),
              ElementsAre("arm64|cloud-arm64|6.12|7.3"));

  EXPECT_THAT(Events(db, "violations", "k_early_removed"), ElementsAre("removed_before_window_end|6.15"));
  EXPECT_THAT(Events(db, "violations", "k_stable_removed"), ElementsAre("stable_removed_without_deprecation|6.15"));
  EXPECT_THAT(Events(db, "violations", "k_proto"), ElementsAre("prototype_changed_while_stable|6.18"));
  EXPECT_THAT(Events(db, "violations", "k_cleared"), ElementsAre("stable_cleared_without_deprecation|6.14"));
  EXPECT_THAT(Events(db, "violations", "k_reused"),
              ElementsAre("removed_before_window_end|6.13", "removed_name_reused|7.0"));
  EXPECT_THAT(Events(db, "violations", "k_life"), IsEmpty());
  EXPECT_THAT(Events(db, "violations", "k_arm"), IsEmpty());

  EXPECT_THAT(Events(db, "conflicts", "k_conflict"), ElementsAre("flags|7.1", "prototype|7.1"));
  EXPECT_THAT(Events(db, "conflicts", "k_presence"), ElementsAre("presence|7.1"));
  EXPECT_THAT(Rows(db, "SELECT detail FROM conflicts WHERE kind = 'flags'"),
              ElementsAre(HasSubstr("0x1 in 1 build (e.g. 7.1.0-1-amd64 [")));
  EXPECT_THAT(Events(db, "conflicts", "k_always"), IsEmpty());
  // The aggregates behind them: of the two amd64 builds of 7.1, both have
  // k_always, one k_presence, and each its own k_conflict.
  EXPECT_THAT(Rows(db, "SELECT n.name, o.flags, v.builds - o.missing, v.builds FROM kfunc_point_observations o"
                       " JOIN names n ON n.id = o.kfunc_name_id JOIN lineages l ON l.id = o.lineage_id"
                       " JOIN lineage_point_variants v ON v.lineage_id = o.lineage_id"
                       " AND v.point_name = o.point_name AND v.arch = o.arch AND v.flavour = o.flavour"
                       " WHERE l.name = 'mainline' AND o.point_name = '7.1'"
                       " AND n.name IN ('k_always', 'k_presence', 'k_conflict') ORDER BY n.name, o.flags"),
              ElementsAre("k_always|1|2|2", "k_conflict|1|1|2", "k_conflict|3|1|2", "k_presence|0|1|2"));
  // Examples are the smallest label, whichever build of 7.2 came first.
  EXPECT_THAT(Rows(db, "SELECT DISTINCT substr(o.example, 1, 13) FROM kfunc_point_observations o"
                       " JOIN lineages l ON l.id = o.lineage_id WHERE l.name = 'mainline' AND o.point_name = '7.2'"),
              ElementsAre("7.2.0-0-amd64"));

  // Points: every catalog release, with builds where ingested.
  EXPECT_THAT(Rows(db, "SELECT p.name FROM lineage_points p JOIN lineages l ON l.id = p.lineage_id"
                       " WHERE l.name = 'mainline' AND p.has_builds = 1 ORDER BY p.ordinal"),
              ElementsAre("6.12", "6.13", "6.14", "6.15", "6.17", "6.18", "6.19", "7.0", "7.1", "7.2", "7.3"));
}

TEST_F(LifecycleStoreTest, IngestOrderDoesNotChangeTheLifecycle) {
  std::vector<BuildRecord> builds = ScenarioBuilds();
  sqlite::Database forward = Open("forward.db");
  Ingest(forward, builds);
  std::vector<std::string> expected = Dump(forward);
  ASSERT_GT(expected.size(), 100u);

  std::mt19937 random(7);
  std::shuffle(builds.begin(), builds.end(), random);
  sqlite::Database shuffled = Open("shuffled.db");
  Ingest(shuffled, builds);
  EXPECT_EQ(Dump(shuffled), expected);

  // A full recompute from the aggregates agrees with the incremental upkeep.
  absl::StatusOr<sqlite::Transaction> transaction = sqlite::Transaction::Begin(shuffled);
  ASSERT_TRUE(transaction.ok());
  ASSERT_TRUE(RecomputeAllLifecycle(shuffled).ok());
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_EQ(Dump(shuffled), expected);
}

// The writer keeps each lineage's observations and derived rows in memory
// between builds (ingest/store/lifecycle_cache.h), trusted only while the
// lineage's stored stamp is the one it wrote. Builds through a second
// connection whose path is spelled differently (as another process would
// write) and a build whose transaction fails at COMMIT, after its upkeep
// filed a snapshot holding a kfunc nothing else has, must leave no stale
// snapshot in use: the result equals a plain ingest and a full recompute.
TEST_F(LifecycleStoreTest, StaleSnapshotsAreNeverUsed) {
  const std::vector<BuildRecord> builds = ScenarioBuilds();
  sqlite::Database plain = Open("plain.db");
  Ingest(plain, builds);
  const std::vector<std::string> expected = Dump(plain);

  sqlite::Database first = Open("k.db");
  absl::StatusOr<sqlite::Database> second = sqlite::OpenForWriting(dir_.path() / "." / "k.db");
  ASSERT_TRUE(second.ok()) << second.status();
  for (size_t i = 0; i < builds.size(); ++i) {
    if (i == 4) {
      // A deferred foreign key violation, planted as the upkeep counts the
      // build in its lineage, fails the COMMIT: the build (of 6.16, which
      // the scenario lacks, so it opens a point) never happened.
      ASSERT_TRUE(first.Execute("PRAGMA defer_foreign_keys = ON").ok());
      absl::Status planted = first.Execute(
          "CREATE TEMP TRIGGER fail_commit AFTER INSERT ON main.lineage_builds BEGIN"
          " INSERT INTO lineage_builds (lineage_id, build_id, point_name) VALUES (-1, -1, 'none'); END");
      ASSERT_TRUE(planted.ok()) << planted;
      BuildWriter writer(first);
      absl::StatusOr<WriteResult> ghost = writer.Write(Record(kMissing, "amd64", "ghost", {{"k_ghost", 0}}));
      EXPECT_THAT(ghost.status().message(), HasSubstr("FOREIGN KEY"));
      ASSERT_TRUE(first.Execute("DROP TRIGGER fail_commit").ok());
      ASSERT_THAT(Rows(first, "SELECT count(*) FROM names WHERE name = 'k_ghost'"), ElementsAre("0"));
    }
    Ingest(i % 3 == 1 ? *second : first, {builds[i]});
  }
  EXPECT_EQ(Dump(first), expected);

  absl::StatusOr<sqlite::Transaction> transaction = sqlite::Transaction::Begin(first);
  ASSERT_TRUE(transaction.ok());
  ASSERT_TRUE(RecomputeAllLifecycle(first).ok());
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_EQ(Dump(first), expected);
}

// Random builds exercise every path of the incremental upkeep: per release
// and arch a random set of kfuncs with flag words and prototypes (renamed
// parameters differing between arches), several builds of it, most just
// like it and some dropping a kfunc, changing a word or a prototype, or
// with unknown flags, on two flavours. The lineage the upkeep leaves equals
// a recompute from the aggregates and an ingest in another order.
TEST_F(LifecycleStoreTest, RandomBuildsMatchARecompute) {
  std::mt19937 random(20261127);
  auto chance = [&](int percent) { return static_cast<int>(random() % 100) < percent; };
  std::vector<BuildRecord> builds;
  for (size_t release = 0; release < kReleases.size(); ++release) {
    for (const std::string arch : {"amd64", "arm64"}) {
      std::vector<KfuncSpec> usual;
      for (int k = 0; k < 24; ++k) {
        if ((k % 6 == 5 && (release + k) % 4 == 0) || chance(5)) continue;
        uint32_t flags = 0x1;
        if (release >= static_cast<size_t>(k % 5)) flags |= kStable;
        if (k % 7 == 0 && release >= 6) flags |= kDeprecated;
        usual.push_back({absl::StrCat("k_random_", k), flags, chance(3) ? "sig2" : "sig",
                         chance(15) ? "int renamed" : "int a"});
      }
      for (int build = 0; build < 4; ++build) {
        std::vector<KfuncSpec> kfuncs = usual;
        if (chance(30) && !kfuncs.empty()) {
          KfuncSpec& odd = kfuncs[random() % kfuncs.size()];
          switch (random() % 4) {
            case 0: odd.name = "k_random_dropped"; break;
            case 1: *odd.flags ^= 0x4; break;
            case 2: odd.params = "int other"; break;
            default: odd.signature = "sig3"; break;
          }
        }
        if (chance(4)) {
          for (KfuncSpec& kfunc : kfuncs) kfunc.flags.reset();
        }
        BuildRecord record = Record(kReleases[release], arch, absl::StrCat(random() % 1000, "-", build), kfuncs);
        if (build == 3) record.set_flavour(absl::StrCat("rt-", arch));
        builds.push_back(std::move(record));
      }
    }
  }
  sqlite::Database forward = Open("forward.db");
  Ingest(forward, builds);
  const std::vector<std::string> incremental = Dump(forward);

  absl::StatusOr<sqlite::Transaction> transaction = sqlite::Transaction::Begin(forward);
  ASSERT_TRUE(transaction.ok());
  ASSERT_TRUE(RecomputeAllLifecycle(forward).ok());
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_EQ(Dump(forward), incremental);

  std::shuffle(builds.begin(), builds.end(), random);
  sqlite::Database shuffled = Open("shuffled.db");
  Ingest(shuffled, builds);
  EXPECT_EQ(Dump(shuffled), incremental);
}

// The prototype shown for a point is the one most builds had, ties broken
// by text: a build just like its variant's others can tip it, so it must be
// re-derived when the point has several prototypes.
TEST_F(LifecycleStoreTest, RepresentativePrototypeFollowsTheCounts) {
  sqlite::Database db = Open("k.db");
  std::vector<BuildRecord> builds;
  for (const char* tag : {"1", "2", "3"}) {
    builds.push_back(Record("6.12", "arm64", tag, {{"k", 0, "sig", "int renamed"}}));
  }
  for (const char* tag : {"1", "2", "3"}) builds.push_back(Record("6.12", "amd64", tag, {{"k", 0, "sig", "int a"}}));
  Ingest(db, builds);
  // Three builds each: the tie goes to the smaller text.
  EXPECT_THAT(Runs(db, "kfunc_prototype_runs", "(SELECT prototype FROM prototypes WHERE id = r.prototype_id)", "k"),
              ElementsAre("6.12|6.12|int k(int a)"));
}

TEST_F(LifecycleStoreTest, UnknownFlagsGiveUnknownStability) {
  sqlite::Database db = Open("k.db");
  Ingest(db, {Record("6.18", "amd64", "raw", {{"k_tagged", std::nullopt}})});
  EXPECT_EQ(Lifecycle(db, "k_tagged"), "6.18|-|0|6.18|0|-|-|-|-|-|-|-|0|unknown");
}

TEST_F(LifecycleStoreTest, DistributionBuildsCountInTheirSeriesAndInMainline) {
  sqlite::Database db = Open("k.db");
  auto debian = [](const std::string& upstream, std::vector<KfuncSpec> kfuncs) {
    BuildRecord record = Record("6.1", "amd64", upstream, kfuncs);
    record.set_upstream_version(upstream);
    record.set_distribution("debian");
    return record;
  };
  // The backport arrives in 6.1.150; 6.1.100 is ingested last.
  Ingest(db, {debian("6.1.192", {{"k_base", 0}, {"k_backport", 0}}), debian("6.1.150", {{"k_base", 0}, {"k_backport", 0}}),
              debian("6.1.100", {{"k_base", 0}})});
  EXPECT_THAT(Rows(db, "SELECT p.ordinal, p.name FROM lineage_points p JOIN lineages l ON l.id = p.lineage_id"
                       " WHERE l.name = 'debian-6.1' ORDER BY p.ordinal"),
              ElementsAre("0|6.1.100", "1|6.1.150", "2|6.1.192"));
  EXPECT_THAT(Rows(db, "SELECT l.name, k.introduced_in, k.introduced_after, k.introduced_exact FROM kfunc_lifecycle k"
                       " JOIN lineages l ON l.id = k.lineage_id JOIN names n ON n.id = k.kfunc_name_id"
                       " WHERE n.name = 'k_backport' ORDER BY l.name"),
              ElementsAre("debian-6.1|1|0|1", "mainline|11|-|0"));
}

TEST_F(LifecycleStoreTest, ExampleBuildsNeverReachMainline) {
  sqlite::Database db = Open("k.db");
  BuildRecord record = Record("6.8", "amd64", "example", {{"k_example", 0}});
  record.set_lineage("example");
  Ingest(db, {record});
  EXPECT_THAT(Rows(db, "SELECT l.name FROM kfunc_lifecycle k JOIN lineages l ON l.id = k.lineage_id"),
              ElementsAre("example"));
}

TEST_F(LifecycleStoreTest, CatalogImportAndPolicyChangeRecompute) {
  sqlite::Database db = Open("k.db");
  Ingest(db, ScenarioBuilds());
  // A catalog that knows 7.4 .. 7.9 with real dates: window ends are no
  // longer projected.
  absl::StatusOr<ReleaseCatalog> builtin = ReleaseCatalog::Embedded();
  ASSERT_TRUE(builtin.ok());
  std::string text;
  for (const ReleaseInfo& release : builtin->WithProjections(6)) {
    absl::StrAppend(&text, release.name, "\t", FormatReleaseDate(*release.date), "\t", release.projected ? 1 : 0,
                    "\n");
  }
  absl::StatusOr<ReleaseCatalog> longer = ReleaseCatalog::Parse(text, "longer.tsv");
  ASSERT_TRUE(longer.ok()) << longer.status();
  ASSERT_TRUE(ImportReleaseCatalog(db, *longer).ok());
  EXPECT_THAT(Rows(db, "SELECT name, projected FROM releases WHERE name IN ('7.9', '7.10') ORDER BY ordinal"),
              ElementsAre("7.9|0", "7.10|1"));
  EXPECT_THAT(Lifecycle(db, "k_life"), HasSubstr("|6.19|7.9|0|"));

  // Window of 1: k_early_removed (deprecated 6.13, removed 6.15) is then
  // removed after its window (6.14) and breaks no promise.
  PolicyChange change;
  change.window_releases = 1;
  ASSERT_TRUE(ChangeLifecyclePolicy(db, change).ok());
  EXPECT_THAT(Events(db, "violations", "k_early_removed"), IsEmpty());
  EXPECT_THAT(Lifecycle(db, "k_life"), HasSubstr("|6.19|7.0|0|"));

  // Moving KF_STABLE to bit 0 from 6.12 on: k_always (flags 0x1) is stable.
  change = {};
  change.flag_bits = PolicyChange::FlagBits{"6.12", "", 0, 31};
  ASSERT_TRUE(ChangeLifecyclePolicy(db, change).ok());
  EXPECT_THAT(Lifecycle(db, "k_always"), HasSubstr("|6.12|-|"));
  EXPECT_EQ(ChangeLifecyclePolicy(db, {.window_releases = 0}).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LifecycleStoreTest, BuildOfAReleaseOutsideTheCatalogIsRefused) {
  sqlite::Database db = Open("k.db");
  BuildWriter writer(db);
  absl::StatusOr<WriteResult> result = writer.Write(Record("9.9", "amd64", "1", {{"k", 0}}));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("releases import"));
  // All or nothing: the build was not stored either.
  EXPECT_THAT(Rows(db, "SELECT count(*) FROM builds"), ElementsAre("0"));
}

}  // namespace
}  // namespace kfuncdb::store
