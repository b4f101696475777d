// DeriveKfuncLifecycle on hand-built lineages: twelve catalog releases
// (6.0 .. 6.11, the catalog ends there) with 6.5 missing from the database,
// one amd64 build per release unless a test says otherwise. Every field,
// every violation kind and every conflict kind is asserted here without
// SQLite; tests/lifecycle/lifecycle_store_test.cc checks the same rules
// through real builds.
#include "common/lifecycle.h"

#include <algorithm>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kfuncdb {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr uint32_t kStable = 1u << 30;
constexpr uint32_t kDeprecated = 1u << 31;
constexpr int kMissingPoint = 5;  // 6.5 has no builds
const BuildVariant kAmd64{"amd64", "cloud-amd64"};
const BuildVariant kArm64{"arm64", "cloud-arm64"};

constexpr char kCatalog[] =
    "6.0\t2022-10-02\t0\n6.1\t2022-12-11\t0\n6.2\t2023-02-19\t0\n6.3\t2023-04-23\t0\n"
    "6.4\t2023-06-25\t0\n6.5\t2023-08-27\t0\n6.6\t2023-10-30\t0\n6.7\t2024-01-07\t0\n"
    "6.8\t2024-03-10\t0\n6.9\t2024-05-12\t0\n6.10\t2024-07-14\t0\n6.11\t2024-09-15\t0\n";

class DerivationTest : public ::testing::Test {
 protected:
  DerivationTest() : catalog_(*ReleaseCatalog::Parse(kCatalog, "test catalog")) {
    context_.catalog = &catalog_;
    for (const ReleaseInfo& release : catalog_.known()) {
      LineagePointInfo point{release.name, release.ordinal, {}, {kStable, kDeprecated}};
      if (release.ordinal.value() != kMissingPoint) point.variants.push_back({kAmd64, 1});
      context_.points.push_back(point);
    }
  }

  // The kfunc in every build of `point`, with `flags` (nullopt: raw BTF).
  KfuncPointObservation At(int point, std::optional<uint32_t> flags,
                           std::string signature = "sig-a", std::string text = "int f(int a)") {
    KfuncPointObservation observation;
    observation.point = PointOrdinal(point);
    for (const VariantCount& variant : context_.points[point].variants) observation.presence.push_back(variant);
    if (flags) observation.flags.push_back({*flags, 1, "build-" + context_.points[point].name});
    // Row ids stand for distinct texts, as the prototypes table interns them.
    int64_t prototype_id = text == "int f(int a)" ? 1 : text == "long f(int a)" ? 2 : 3;
    observation.prototypes.push_back(
        {PrototypeRowId(prototype_id), text, signature, 1, "build-" + context_.points[point].name});
    return observation;
  }

  // Observations for each point in [from, to] that has builds.
  std::vector<KfuncPointObservation> Range(int from, int to, std::optional<uint32_t> flags) {
    std::vector<KfuncPointObservation> observations;
    for (int point = from; point <= to; ++point) {
      if (!context_.points[point].variants.empty()) observations.push_back(At(point, flags));
    }
    return observations;
  }

  KfuncLifecycle Derive(std::vector<KfuncPointObservation> observations) {
    absl::StatusOr<KfuncLifecycle> lifecycle = DeriveKfuncLifecycle(context_, std::move(observations));
    EXPECT_TRUE(lifecycle.ok()) << lifecycle.status();
    return lifecycle.ok() ? *lifecycle : KfuncLifecycle{};
  }

  static std::vector<ViolationKind> Kinds(const KfuncLifecycle& lifecycle) {
    std::vector<ViolationKind> kinds;
    for (const Violation& violation : lifecycle.violations) kinds.push_back(violation.kind);
    return kinds;
  }

  ReleaseCatalog catalog_;
  LineageContext context_;
};

PointOrdinal P(int point) { return PointOrdinal(point); }

TEST_F(DerivationTest, IntroducedAfterMissingReleaseIsARange) {
  KfuncLifecycle lifecycle = Derive(Range(6, 11, 0));
  EXPECT_EQ(lifecycle.introduced_in, P(6));
  EXPECT_EQ(lifecycle.introduced_after, P(4));  // 6.5 has no builds
  EXPECT_FALSE(lifecycle.introduced_exact);
  EXPECT_EQ(lifecycle.last_present, P(11));
  EXPECT_EQ(lifecycle.removed_in, std::nullopt);
  EXPECT_EQ(lifecycle.status, LifecycleStatus::kUnstable);
  EXPECT_THAT(lifecycle.status_runs, ElementsAre(StatusRun{P(6), P(11), LifecycleStatus::kUnstable}));
}

TEST_F(DerivationTest, IntroducedNextToAnIngestedReleaseIsExact) {
  KfuncLifecycle lifecycle = Derive(Range(3, 11, 0x85));
  EXPECT_EQ(lifecycle.introduced_in, P(3));
  EXPECT_EQ(lifecycle.introduced_after, P(2));
  EXPECT_TRUE(lifecycle.introduced_exact);
  // Flags over 6.5 (no builds) continue the run: nothing says they changed.
  EXPECT_THAT(lifecycle.flag_runs, ElementsAre(FlagRun{P(3), P(11), 0x85}));
}

TEST_F(DerivationTest, PresentInTheFirstReleaseHasNoIntroducedAfter) {
  KfuncLifecycle lifecycle = Derive(Range(0, 11, 0));
  EXPECT_EQ(lifecycle.introduced_after, std::nullopt);
  EXPECT_FALSE(lifecycle.introduced_exact);
}

TEST_F(DerivationTest, StableThenDeprecatedWithWindowPastTheCatalog) {
  std::vector<KfuncPointObservation> observations = Range(1, 2, 0x1);
  for (auto& o : Range(3, 6, 0x1 | kStable)) observations.push_back(o);
  for (auto& o : Range(7, 11, 0x1 | kStable | kDeprecated)) observations.push_back(o);
  KfuncLifecycle lifecycle = Derive(observations);
  EXPECT_TRUE(lifecycle.stability_known);
  EXPECT_EQ(lifecycle.stable_since, P(3));
  EXPECT_EQ(lifecycle.deprecated_since, P(7));
  ASSERT_TRUE(lifecycle.window_end && lifecycle.earliest_removal);
  EXPECT_EQ(lifecycle.window_end->value(), 17);
  EXPECT_EQ(lifecycle.earliest_removal->value(), 18);
  // The catalog ends at 6.11: both are projected, named and dated.
  ReleaseInfo window_end = catalog_.At(*lifecycle.window_end);
  EXPECT_EQ(window_end.name, "6.17");
  EXPECT_TRUE(window_end.projected);
  ASSERT_TRUE(window_end.date.has_value());
  EXPECT_GT(*window_end.date, *catalog_.known().back().date);
  EXPECT_EQ(catalog_.At(*lifecycle.earliest_removal).name, "6.18");
  EXPECT_EQ(lifecycle.status, LifecycleStatus::kDeprecated);
  EXPECT_THAT(lifecycle.status_runs,
              ElementsAre(StatusRun{P(1), P(2), LifecycleStatus::kUnstable},
                          StatusRun{P(3), P(6), LifecycleStatus::kStable},
                          StatusRun{P(7), P(11), LifecycleStatus::kDeprecated}));
  EXPECT_THAT(lifecycle.flag_runs, ElementsAre(FlagRun{P(1), P(2), 0x1}, FlagRun{P(3), P(6), 0x1 | kStable},
                                               FlagRun{P(7), P(11), 0x1 | kStable | kDeprecated}));
  EXPECT_THAT(lifecycle.violations, IsEmpty());
}

TEST_F(DerivationTest, RemovedBeforeWindowEnd) {
  std::vector<KfuncPointObservation> observations = Range(0, 1, kStable);
  for (auto& o : Range(2, 8, kStable | kDeprecated)) observations.push_back(o);
  KfuncLifecycle lifecycle = Derive(observations);
  EXPECT_EQ(lifecycle.removed_in, P(9));
  EXPECT_TRUE(lifecycle.removed_exact);
  EXPECT_EQ(lifecycle.window_end->value(), 12);
  EXPECT_EQ(lifecycle.status, LifecycleStatus::kRemoved);
  EXPECT_THAT(lifecycle.status_runs.back(), (StatusRun{P(9), P(11), LifecycleStatus::kRemoved}));
  ASSERT_EQ(lifecycle.violations.size(), 1u);
  EXPECT_EQ(lifecycle.violations[0].kind, ViolationKind::kRemovedBeforeWindowEnd);
  EXPECT_EQ(lifecycle.violations[0].point, P(9));
  EXPECT_THAT(lifecycle.violations[0].detail, HasSubstr("window ends 6.12"));
}

TEST_F(DerivationTest, RemovalAcrossAMissingReleaseIsARange) {
  KfuncLifecycle lifecycle = Derive(Range(0, 4, 0));
  EXPECT_EQ(lifecycle.last_present, P(4));
  EXPECT_EQ(lifecycle.removed_in, P(6));
  EXPECT_FALSE(lifecycle.removed_exact);
  // 6.5 says nothing: the status there is still the last one known.
  EXPECT_THAT(lifecycle.status_runs, ElementsAre(StatusRun{P(0), P(5), LifecycleStatus::kUnstable},
                                                 StatusRun{P(6), P(11), LifecycleStatus::kRemoved}));
}

TEST_F(DerivationTest, RemovalAfterTheWindowIsNoViolation) {
  context_.window_releases = 2;
  std::vector<KfuncPointObservation> observations = Range(0, 0, kStable);
  for (auto& o : Range(1, 3, kStable | kDeprecated)) observations.push_back(o);
  KfuncLifecycle lifecycle = Derive(observations);
  EXPECT_EQ(lifecycle.window_end->value(), 3);
  EXPECT_EQ(lifecycle.earliest_removal->value(), 4);
  EXPECT_EQ(lifecycle.removed_in, P(4));
  EXPECT_THAT(lifecycle.violations, IsEmpty());
}

TEST_F(DerivationTest, StableRemovedWithoutDeprecation) {
  KfuncLifecycle lifecycle = Derive(Range(0, 7, kStable));
  EXPECT_THAT(Kinds(lifecycle), ElementsAre(ViolationKind::kStableRemovedWithoutDeprecation));
  EXPECT_EQ(lifecycle.violations[0].point, P(8));
  EXPECT_EQ(lifecycle.deprecated_since, std::nullopt);
  EXPECT_EQ(lifecycle.window_end, std::nullopt);
}

TEST_F(DerivationTest, UnstableRemovalIsNoViolation) {
  KfuncLifecycle lifecycle = Derive(Range(0, 7, 0x85));
  EXPECT_EQ(lifecycle.removed_in, P(8));
  EXPECT_THAT(lifecycle.violations, IsEmpty());
}

TEST_F(DerivationTest, PrototypeChangedWhileStableComparesTypesOnly) {
  std::vector<KfuncPointObservation> observations = {
      At(0, kStable), At(1, kStable),
      // Renamed parameter: same signature hash, new text. Not a change.
      At(2, kStable, "sig-a", "int f(int renamed)"),
      // New types while stable: a violation.
      At(3, kStable, "sig-b", "long f(int a)"), At(4, kStable, "sig-b", "long f(int a)")};
  KfuncLifecycle lifecycle = Derive(observations);
  EXPECT_THAT(Kinds(lifecycle), ElementsAre(ViolationKind::kPrototypeChangedWhileStable,
                                            ViolationKind::kStableRemovedWithoutDeprecation));
  EXPECT_EQ(lifecycle.violations[0].point, P(3));
  EXPECT_THAT(lifecycle.violations[0].detail, HasSubstr("long f(int a)"));
  EXPECT_THAT(lifecycle.prototype_runs,
              ElementsAre(PrototypeRun{P(0), P(1), PrototypeRowId(1)}, PrototypeRun{P(2), P(2), PrototypeRowId(3)},
                          PrototypeRun{P(3), P(4), PrototypeRowId(2)}));
}

TEST_F(DerivationTest, PrototypeChangeOfUnstableKfuncIsNoViolation) {
  KfuncLifecycle lifecycle = Derive({At(0, 0), At(1, 0, "sig-b", "long f(int a)")});
  EXPECT_THAT(lifecycle.violations, IsEmpty());
}

TEST_F(DerivationTest, StableClearedWithoutDeprecation) {
  std::vector<KfuncPointObservation> observations = Range(0, 3, kStable | 0x4);
  for (auto& o : Range(4, 11, 0x4)) observations.push_back(o);
  KfuncLifecycle lifecycle = Derive(observations);
  EXPECT_THAT(Kinds(lifecycle), ElementsAre(ViolationKind::kStableClearedWithoutDeprecation));
  EXPECT_EQ(lifecycle.violations[0].point, P(4));
  EXPECT_EQ(lifecycle.stable_since, P(0));
  EXPECT_EQ(lifecycle.status, LifecycleStatus::kUnstable);
}

TEST_F(DerivationTest, StableReplacedByDeprecatedIsAllowed) {
  std::vector<KfuncPointObservation> observations = Range(0, 3, kStable);
  for (auto& o : Range(4, 11, kDeprecated)) observations.push_back(o);
  EXPECT_THAT(Derive(observations).violations, IsEmpty());
}

TEST_F(DerivationTest, RemovedDeprecatedNamePresentAgain) {
  std::vector<KfuncPointObservation> observations = {At(0, kStable | kDeprecated), At(1, kStable | kDeprecated),
                                                     At(7, kDeprecated), At(8, kDeprecated)};
  KfuncLifecycle lifecycle = Derive(observations);
  // Each removal inside the window (ends 6.10) is a violation of its own.
  EXPECT_THAT(Kinds(lifecycle), ElementsAre(ViolationKind::kRemovedBeforeWindowEnd,
                                            ViolationKind::kRemovedNameReused,
                                            ViolationKind::kRemovedBeforeWindowEnd));
  EXPECT_EQ(lifecycle.violations[0].point, P(2));
  EXPECT_EQ(lifecycle.violations[1].point, P(7));
  EXPECT_EQ(lifecycle.violations[2].point, P(9));
  EXPECT_EQ(lifecycle.last_present, P(8));
  EXPECT_EQ(lifecycle.removed_in, P(9));
  EXPECT_THAT(lifecycle.status_runs,
              ElementsAre(StatusRun{P(0), P(1), LifecycleStatus::kDeprecated},
                          StatusRun{P(2), P(6), LifecycleStatus::kRemoved},
                          StatusRun{P(7), P(8), LifecycleStatus::kDeprecated},
                          StatusRun{P(9), P(11), LifecycleStatus::kRemoved}));
  // Absence splits runs even when the value is the same on both sides.
  EXPECT_THAT(lifecycle.prototype_runs, ElementsAre(PrototypeRun{P(0), P(1), PrototypeRowId(1)},
                                                    PrototypeRun{P(7), P(8), PrototypeRowId(1)}));
}

TEST_F(DerivationTest, ArchOnlyKfuncIsNotRemovedByReleasesWithoutThatArch) {
  // arm64 builds only at 6.1, 6.2 and 6.9; the kfunc is arm64-only.
  for (int point : {1, 2, 9}) context_.points[point].variants.push_back({kArm64, 1});
  auto arm64_only = [&](int point) {
    KfuncPointObservation observation = At(point, 0x2);
    observation.presence = {{kArm64, 1}};
    return observation;
  };
  KfuncLifecycle lifecycle = Derive({arm64_only(1), arm64_only(2)});
  EXPECT_EQ(lifecycle.introduced_after, std::nullopt);  // 6.0 had no arm64 build
  EXPECT_EQ(lifecycle.removed_in, P(9));                 // not 6.3 (amd64 only)
  EXPECT_FALSE(lifecycle.removed_exact);
  EXPECT_THAT(lifecycle.availability, ElementsAre(Availability{kArm64, P(1), P(2)}));
  EXPECT_THAT(lifecycle.conflicts, IsEmpty());

  lifecycle = Derive({arm64_only(1), arm64_only(2), arm64_only(9)});
  EXPECT_EQ(lifecycle.removed_in, std::nullopt);
  EXPECT_EQ(lifecycle.status, LifecycleStatus::kUnstable);
  EXPECT_THAT(lifecycle.status_runs, ElementsAre(StatusRun{P(1), P(11), LifecycleStatus::kUnstable}));
}

TEST_F(DerivationTest, UnknownFlagsGiveUnknownStabilityNeverUnstable) {
  KfuncLifecycle lifecycle = Derive(Range(8, 11, std::nullopt));
  EXPECT_FALSE(lifecycle.stability_known);
  EXPECT_EQ(lifecycle.status, LifecycleStatus::kUnknown);
  EXPECT_EQ(lifecycle.stable_since, std::nullopt);
  EXPECT_THAT(lifecycle.flag_runs, ElementsAre(FlagRun{P(8), P(11), std::nullopt}));
}

TEST_F(DerivationTest, UnknownFlagsNeitherClearNorSetStable) {
  std::vector<KfuncPointObservation> observations = Range(0, 3, kStable);
  for (auto& o : Range(4, 6, std::nullopt)) observations.push_back(o);  // raw BTF only
  for (auto& o : Range(7, 11, kStable)) observations.push_back(o);
  KfuncLifecycle lifecycle = Derive(observations);
  EXPECT_THAT(lifecycle.violations, IsEmpty());
  EXPECT_THAT(lifecycle.status_runs,
              ElementsAre(StatusRun{P(0), P(3), LifecycleStatus::kStable},
                          StatusRun{P(4), P(6), LifecycleStatus::kUnknown},
                          StatusRun{P(7), P(11), LifecycleStatus::kStable}));
}

TEST_F(DerivationTest, BuildsOfOneReleaseThatDisagreeAreConflicts) {
  context_.points[3].variants = {{kAmd64, 2}};
  KfuncPointObservation disagreeing = At(3, 0x5);
  disagreeing.flags = {{0x5, 1, "6.3.0-a"}, {0x85, 1, "6.3.0-b"}};
  disagreeing.prototypes = {{PrototypeRowId(1), "int f(int a)", "sig-a", 1, "6.3.0-a"},
                            {PrototypeRowId(2), "long f(int a)", "sig-b", 1, "6.3.0-b"}};
  KfuncLifecycle lifecycle = Derive({At(2, 0x5), disagreeing});
  ASSERT_EQ(lifecycle.conflicts.size(), 2u);
  EXPECT_EQ(lifecycle.conflicts[0].kind, ConflictKind::kFlags);
  EXPECT_THAT(lifecycle.conflicts[0].detail, HasSubstr("0x5 in 1 build (e.g. 6.3.0-a)"));
  EXPECT_THAT(lifecycle.conflicts[0].detail, HasSubstr("0x85 in 1 build (e.g. 6.3.0-b)"));
  EXPECT_EQ(lifecycle.conflicts[1].kind, ConflictKind::kPrototype);
  // Flags at the point are the union over its builds, not one of them.
  EXPECT_THAT(lifecycle.flag_runs, ElementsAre(FlagRun{P(2), P(2), 0x5}, FlagRun{P(3), P(3), 0x85}));

  KfuncPointObservation partly_present = At(3, 0x5);
  partly_present.presence = {{kAmd64, 1}};  // in 1 of the 2 builds
  lifecycle = Derive({At(2, 0x5), partly_present});
  ASSERT_EQ(lifecycle.conflicts.size(), 1u);
  EXPECT_EQ(lifecycle.conflicts[0].kind, ConflictKind::kPresence);
  EXPECT_EQ(lifecycle.conflicts[0].point, P(3));
  EXPECT_THAT(lifecycle.conflicts[0].detail, HasSubstr("1 of 2 amd64/cloud-amd64 builds"));
}

TEST_F(DerivationTest, DifferentFlavoursAreNotAPresenceConflict) {
  const BuildVariant rt{"amd64", "rt-amd64"};
  context_.points[3].variants.push_back({rt, 1});
  KfuncPointObservation cloud_only = At(3, 0);
  cloud_only.presence = {{kAmd64, 1}};
  KfuncLifecycle lifecycle = Derive({cloud_only});
  EXPECT_THAT(lifecycle.conflicts, IsEmpty());
  EXPECT_THAT(lifecycle.availability, ElementsAre(Availability{kAmd64, P(3), P(3)}));
}

TEST_F(DerivationTest, ResultDoesNotDependOnInputOrder) {
  context_.points[3].variants = {{kAmd64, 2}, {kArm64, 1}};
  std::vector<KfuncPointObservation> observations = Range(0, 2, kStable);
  KfuncPointObservation busy = At(3, kStable);
  busy.presence = {{kArm64, 1}, {kAmd64, 2}};
  busy.flags = {{kStable | 0x4, 1, "b"}, {kStable, 2, "a"}};
  busy.prototypes = {{PrototypeRowId(2), "long f(int a)", "sig-b", 1, "b"},
                     {PrototypeRowId(1), "int f(int a)", "sig-a", 1, "a"}};
  observations.push_back(busy);
  for (auto& o : Range(6, 9, kStable | kDeprecated)) observations.push_back(o);
  KfuncLifecycle expected = Derive(observations);

  std::mt19937 random(42);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(observations.begin(), observations.end(), random);
    for (auto& observation : observations) {
      std::shuffle(observation.presence.begin(), observation.presence.end(), random);
      std::shuffle(observation.flags.begin(), observation.flags.end(), random);
      std::shuffle(observation.prototypes.begin(), observation.prototypes.end(), random);
    }
    EXPECT_EQ(Derive(observations), expected) << "round " << round;
  }
}

TEST_F(DerivationTest, RejectsObservationsInconsistentWithTheLineage) {
  EXPECT_EQ(DeriveKfuncLifecycle(context_, {}).status().code(), absl::StatusCode::kInvalidArgument);
  KfuncPointObservation at_missing = At(4, 0);
  at_missing.point = P(kMissingPoint);
  EXPECT_EQ(DeriveKfuncLifecycle(context_, {at_missing}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DeriveKfuncLifecycle(context_, {At(1, 0), At(1, 0)}).status().code(),
            absl::StatusCode::kInvalidArgument);
  KfuncPointObservation outside = At(1, 0);
  outside.point = P(40);
  EXPECT_EQ(DeriveKfuncLifecycle(context_, {outside}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kfuncdb
