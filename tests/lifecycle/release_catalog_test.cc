// ReleaseCatalog: the built-in catalog, parsing errors, and projection of
// names and dates past the last known release.
#include "common/release_catalog.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kfuncdb {
namespace {

using ::testing::HasSubstr;

TEST(ReleaseCatalogTest, BuiltInCatalogHoldsDomainReleases) {
  absl::StatusOr<ReleaseCatalog> catalog = ReleaseCatalog::Embedded();
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->known().front().name, "5.10");
  EXPECT_EQ(catalog->Find("6.1", 0), ReleaseOrdinal(11));
  // 5.19 is followed by 6.0, not 5.20: positions, not arithmetic.
  EXPECT_EQ(catalog->At(*catalog->Find("5.19", 0)).ordinal.value() + 1, catalog->Find("6.0", 0)->value());
  ReleaseInfo v70 = catalog->At(*catalog->Find("7.0", 0));
  EXPECT_EQ(FormatReleaseDate(*v70.date), "2026-04-12");
  EXPECT_FALSE(v70.date_approximate);
  for (const char* name : {"7.1", "7.2", "7.3"}) {
    std::optional<ReleaseOrdinal> ordinal = catalog->Find(name, 0);
    ASSERT_TRUE(ordinal) << name;
    EXPECT_TRUE(catalog->At(*ordinal).date_approximate) << name;
    EXPECT_FALSE(catalog->At(*ordinal).projected) << name;
  }
  // Median gap of the last eight confirmed releases (6.12 .. 7.0).
  EXPECT_EQ(catalog->cadence_days(), 63);
}

TEST(ReleaseCatalogTest, ProjectsNamesAndDatesPastTheLastRelease) {
  absl::StatusOr<ReleaseCatalog> catalog =
      ReleaseCatalog::Parse("6.17\t2025-09-28\t0\n6.18\t2025-11-30\t0\n", "t.tsv");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->cadence_days(), 63);
  ReleaseInfo next = catalog->At(ReleaseOrdinal(2));
  EXPECT_EQ(next.name, "6.19");
  EXPECT_TRUE(next.projected);
  EXPECT_TRUE(next.date_approximate);
  EXPECT_EQ(FormatReleaseDate(*next.date), "2026-02-01");
  // After x.19 the series continues at (x+1).0.
  EXPECT_EQ(catalog->At(ReleaseOrdinal(3)).name, "7.0");
  EXPECT_EQ(catalog->At(ReleaseOrdinal(4)).name, "7.1");
  EXPECT_EQ(catalog->Find("7.1", 2), std::nullopt);
  EXPECT_EQ(catalog->Find("7.1", 3), ReleaseOrdinal(4));
  std::vector<ReleaseInfo> all = catalog->WithProjections(3);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_FALSE(all[1].projected);
  EXPECT_TRUE(all[4].projected);
}

TEST(ReleaseCatalogTest, CatalogMaySayWhatComesAfterX19) {
  // 4.20 existed: inside the catalog, its order is the truth.
  absl::StatusOr<ReleaseCatalog> catalog =
      ReleaseCatalog::Parse("4.19\t2018-10-22\n4.20\t2018-12-23\n5.0\t2019-03-03\n", "t.tsv");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->At(ReleaseOrdinal(1)).name, "4.20");
  EXPECT_EQ(catalog->At(ReleaseOrdinal(3)).name, "5.1");
}

TEST(ReleaseCatalogTest, CadenceIgnoresApproximateDates) {
  absl::StatusOr<ReleaseCatalog> catalog = ReleaseCatalog::Parse(
      "6.0\t2022-10-01\t0\n6.1\t2022-10-31\t0\n6.2\t2022-11-30\t0\n6.3\t2023-11-30\t1\n", "t.tsv");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->cadence_days(), 30);
  // Projection starts from the last row's date, approximate or not.
  EXPECT_EQ(FormatReleaseDate(*catalog->At(ReleaseOrdinal(4)).date), "2023-12-30");
}

TEST(ReleaseCatalogTest, RejectsMalformedCatalogsNamingTheLine) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"6.1\t2022-12-11\n6.1\t2022-12-12\n", "listed twice"},
           Case{"6.2\t2023-02-19\n6.1\t2022-12-11\n", "is not newer"},
           Case{"6.1\t2022-13-11\n", "t.tsv:1: date '2022-13-11'"},
           Case{"# c\n6.1\t2022-12-11\t2\n", "t.tsv:2: approximate must be 0 or 1"},
           Case{"6.1 2022-12-11\n", "t.tsv:1: expected"},
           Case{"six\t2022-12-11\n", "not of the form major.minor"},
           Case{"6.1\t2022-12-11\n6.2\t2022-12-01\n", "before '6.1'"},
           Case{"# only a comment\n", "no releases"},
       }) {
    absl::StatusOr<ReleaseCatalog> catalog = ReleaseCatalog::Parse(c.text, "t.tsv");
    ASSERT_FALSE(catalog.ok()) << c.text;
    EXPECT_EQ(catalog.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(catalog.status().message()), HasSubstr(c.message)) << c.text;
  }
}

TEST(ReleaseCatalogTest, FromReleasesDropsProjectedRows) {
  std::vector<ReleaseInfo> rows = {{ReleaseOrdinal(0), "6.1", absl::CivilDay(2022, 12, 11)},
                                   {ReleaseOrdinal(1), "6.2", absl::CivilDay(2023, 2, 19)},
                                   {ReleaseOrdinal(2), "6.3", absl::CivilDay(2023, 4, 23), true, true}};
  absl::StatusOr<ReleaseCatalog> catalog = ReleaseCatalog::FromReleases(rows);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->known().size(), 2u);
  EXPECT_TRUE(catalog->At(ReleaseOrdinal(2)).projected);
}

}  // namespace
}  // namespace kfuncdb
