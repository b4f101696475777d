// Lineage assignment and the ordering of a distribution lineage's points.
#include "common/lineage.h"

#include "gtest/gtest.h"

namespace kfuncdb {
namespace {

LineageAssignment Assign(std::string_view requested, std::string_view distribution, std::string_view release) {
  absl::StatusOr<LineageAssignment> assignment = AssignLineage(requested, {distribution, release});
  EXPECT_TRUE(assignment.ok()) << assignment.status();
  return assignment.ok() ? *assignment : LineageAssignment{};
}

TEST(LineageTest, DerivedFromIdentity) {
  LineageAssignment debian = Assign("", "debian", "6.1");
  EXPECT_EQ(debian.name, "debian-6.1");
  EXPECT_EQ(debian.kind, LineageKind::kDistribution);
  LineageAssignment upstream = Assign("", "", "6.18");
  EXPECT_EQ(upstream.name, "mainline");
  EXPECT_EQ(upstream.kind, LineageKind::kMainline);
}

TEST(LineageTest, ExplicitNames) {
  EXPECT_EQ(Assign("mainline", "debian", "6.1").kind, LineageKind::kMainline);
  EXPECT_EQ(Assign("ubuntu-6.1", "", "6.1").kind, LineageKind::kDistribution);
  // Anything else is a series of its own that never counts in mainline.
  EXPECT_EQ(Assign("example", "", "6.8").kind, LineageKind::kExample);
  EXPECT_EQ(Assign("debian-6.12", "debian", "6.1").kind, LineageKind::kExample);
  EXPECT_EQ(AssignLineage("bad name", {"", "6.1"}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LineageTest, DistributionBuildsAlsoCountInMainline) {
  std::vector<LineageAssignment> members = MemberLineages({"debian-6.1", LineageKind::kDistribution});
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[1].name, "mainline");
  EXPECT_EQ(MemberLineages({"example", LineageKind::kExample}).size(), 1u);
  EXPECT_EQ(MemberLineages({"mainline", LineageKind::kMainline}).size(), 1u);
}

TEST(LineageTest, KindNamesRoundTrip) {
  for (LineageKind kind : {LineageKind::kMainline, LineageKind::kDistribution, LineageKind::kExample}) {
    EXPECT_EQ(*ParseLineageKind(LineageKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseLineageKind("vendor").ok());
}

TEST(LineageTest, VersionsCompareNumerically) {
  EXPECT_LT(CompareVersions("6.1.47", "6.1.192"), 0);
  EXPECT_GT(CompareVersions("6.1.192", "6.1.47"), 0);
  EXPECT_EQ(CompareVersions("6.1.192", "6.1.192"), 0);
  EXPECT_EQ(CompareVersions("6.1.0192", "6.1.192"), 0);
  EXPECT_LT(CompareVersions("6.1.192", "6.1.192+deb12"), 0);
  EXPECT_LT(CompareVersions("6.9.1", "6.10"), 0);
  EXPECT_LT(CompareVersions("6.1.99999999999999999999", "6.1.100000000000000000000"), 0);
}

}  // namespace
}  // namespace kfuncdb
