#include "common/kernel_release.h"

#include <gtest/gtest.h>

#include "common/kernel_version.h"

namespace kfuncdb {
namespace {

TEST(KernelVersion, ParsesAndOrders) {
  absl::StatusOr<KernelVersion> v61 = KernelVersion::Parse("6.1");
  absl::StatusOr<KernelVersion> v6192 = KernelVersion::Parse("6.1.192");
  absl::StatusOr<KernelVersion> v612 = KernelVersion::Parse("6.12");
  ASSERT_TRUE(v61.ok() && v6192.ok() && v612.ok());
  EXPECT_EQ(v61->ToString(), "6.1");
  EXPECT_EQ(v6192->ToString(), "6.1.192");
  EXPECT_EQ(v6192->Base(), *v61);
  EXPECT_LT(*v61, *v6192);
  EXPECT_LT(*v6192, *v612) << "numeric, not lexical: 6.1.192 < 6.12";
  EXPECT_LT(KernelVersion(6, 19), KernelVersion(7, 0));
  EXPECT_EQ(KernelVersion(6, 1), KernelVersion(6, 1, 0));
}

TEST(KernelVersion, RejectsWhatIsNoVersion) {
  for (const char* bad : {"", "6", "6.", "x.1", "6.1-rc1", "6.1.2.3", " 6.1", "6.1 "}) {
    EXPECT_FALSE(KernelVersion::Parse(bad).ok()) << bad;
  }
}

struct ReleaseCase {
  const char* release;
  const char* base;
  const char* upstream;
  const char* abi;
  const char* flavour;
  const char* arch;
};

class KernelReleaseTest : public ::testing::TestWithParam<ReleaseCase> {};

TEST_P(KernelReleaseTest, TakesApartIdentity) {
  const ReleaseCase& c = GetParam();
  absl::StatusOr<KernelReleaseInfo> info = ParseKernelRelease(c.release);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->kernel_release, c.release);
  EXPECT_EQ(info->base.ToString(), c.base);
  EXPECT_EQ(info->upstream_version, c.upstream);
  EXPECT_EQ(info->abi, c.abi);
  EXPECT_EQ(info->flavour, c.flavour);
  EXPECT_EQ(info->arch, c.arch);
}

INSTANTIATE_TEST_SUITE_P(
    Releases, KernelReleaseTest,
    ::testing::Values(
        ReleaseCase{"6.1.0-56-cloud-amd64", "6.1", "", "56", "cloud-amd64", "amd64"},
        ReleaseCase{"6.1.0-56-cloud-arm64", "6.1", "", "56", "cloud-arm64", "arm64"},
        ReleaseCase{"6.1.0-47-rt-amd64", "6.1", "", "47", "rt-amd64", "amd64"},
        ReleaseCase{"6.1.0-56-686-pae", "6.1", "", "56", "686-pae", "i386"},
        ReleaseCase{"6.12.118+deb13-cloud-amd64", "6.12", "6.12.118", "", "cloud-amd64", "amd64"},
        ReleaseCase{"7.2.13+deb14-cloud-amd64", "7.2", "7.2.13", "", "cloud-amd64", "amd64"},
        ReleaseCase{"6.18.44", "6.18", "6.18.44", "", "", ""},
        ReleaseCase{"6.8.0-example", "6.8", "6.8.0", "", "example", ""},
        ReleaseCase{"6.8.0-45-generic", "6.8", "", "45", "generic", ""},
        ReleaseCase{"6.11.4-301.fc41.x86_64", "6.11", "6.11.4", "301.fc41", "", "amd64"},
        ReleaseCase{"6.12.0-fixture", "6.12", "6.12.0", "", "fixture", ""}));

TEST(KernelRelease, RejectsWhatIsNoRelease) {
  for (const char* bad : {"", "linux", "6", "6.1.0 -56", "vmlinuz-6.1.0"}) {
    EXPECT_FALSE(ParseKernelRelease(bad).ok()) << bad;
  }
}

TEST(KernelRelease, UpstreamFromDebianBanner) {
  EXPECT_EQ(UpstreamVersionFromBanner(
                "Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) (gcc-12 "
                "(Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP "
                "PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)"),
            "6.1.192");
  EXPECT_EQ(UpstreamVersionFromBanner("Linux version 6.18.44 (root@host) (gcc 14) #1 SMP"), "");
}

}  // namespace
}  // namespace kfuncdb
