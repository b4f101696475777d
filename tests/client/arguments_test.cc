// Client-side checks of release names, kfunc names, dates and diff sides.
#include "client/arguments.h"

#include <gtest/gtest.h>

namespace kfuncdb::client {
namespace {

TEST(ClientArgumentsTest, AcceptsMainlineAndUpstreamReleaseNames) {
  EXPECT_TRUE(ValidateReleaseName("--at", "6.1").ok());
  EXPECT_TRUE(ValidateReleaseName("--at", "6.12.118").ok());
  EXPECT_TRUE(ValidateReleaseName("--at", "10.0").ok());
}

TEST(ClientArgumentsTest, RejectsMalformedReleaseNamesNamingTheOption) {
  for (const char* bad : {"", "6", "6.", ".1", "6.x", "v6.1", "6.1.2.3", "6.1-rc1", "-6.1",
                          "6.1.0-56-cloud-amd64", "6..1"}) {
    absl::Status status = ValidateReleaseName("--at", bad);
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << bad;
    EXPECT_NE(status.message().find("--at"), absl::string_view::npos) << status;
  }
}

TEST(ClientArgumentsTest, KfuncNamesAreCIdentifiers) {
  EXPECT_TRUE(ValidateKfuncName("NAME", "bpf_task_acquire").ok());
  EXPECT_TRUE(ValidateKfuncName("NAME", "_x9").ok());
  for (const char* bad : {"", "9lives", "bpf-task", "bpf task", "bpf_task_acquire()"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(ValidateKfuncName("NAME", bad))) << bad;
  }
  EXPECT_TRUE(ValidateKfuncName("NAME", std::string(256, 'a')).ok());
  EXPECT_FALSE(ValidateKfuncName("NAME", std::string(257, 'a')).ok());
}

TEST(ClientArgumentsTest, DatesAreYearMonthDay) {
  EXPECT_TRUE(LooksLikeDate("2026-01-31"));
  EXPECT_FALSE(LooksLikeDate("2026-13-01"));
  EXPECT_FALSE(LooksLikeDate("2026-1-31"));
  EXPECT_FALSE(LooksLikeDate("6.18"));
  EXPECT_FALSE(LooksLikeDate("2026-01-00"));
}

TEST(ClientArgumentsTest, DigitsAreABuildIdAnythingElseARelease) {
  absl::StatusOr<v1::ReleaseOrBuild> build = ParseReleaseOrBuild("A", "12");
  ASSERT_TRUE(build.ok()) << build.status();
  EXPECT_EQ(build->build_id(), 12);

  absl::StatusOr<v1::ReleaseOrBuild> release = ParseReleaseOrBuild("A", "6.12");
  ASSERT_TRUE(release.ok()) << release.status();
  EXPECT_EQ(release->release(), "6.12");

  EXPECT_TRUE(absl::IsInvalidArgument(ParseReleaseOrBuild("A", "0").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseReleaseOrBuild("A", "99999999999999999999").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseReleaseOrBuild("B", "latest").status()));
}

}  // namespace
}  // namespace kfuncdb::client
