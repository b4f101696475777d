#include "common/kfunc_flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kfuncdb {
namespace {

using ::testing::ElementsAre;

// Every upstream bit, at a release before it existed, in its first and last
// release, and after it was retired (DOMAIN.md section 3).
struct BitCase {
  int bit;
  KernelVersion release;
  const char* name;
};

class KfuncFlagBitTest : public ::testing::TestWithParam<BitCase> {};

TEST_P(KfuncFlagBitTest, DecodesPerRelease) {
  const BitCase& c = GetParam();
  EXPECT_EQ(KfuncFlagName(c.bit, c.release, {}), c.name)
      << "bit " << c.bit << " in " << c.release.ToString();
  EXPECT_THAT(DecodeKfuncFlags(1u << c.bit, c.release, {}), ElementsAre(c.name));
}

INSTANTIATE_TEST_SUITE_P(
    Table, KfuncFlagBitTest,
    ::testing::Values(
        BitCase{0, {5, 19}, "bit0"}, BitCase{0, {6, 0}, "KF_ACQUIRE"}, BitCase{0, {7, 2}, "KF_ACQUIRE"},
        BitCase{1, {6, 0}, "KF_RELEASE"}, BitCase{2, {6, 0}, "KF_RET_NULL"},
        BitCase{3, {6, 0}, "KF_KPTR_GET"}, BitCase{3, {6, 3}, "KF_KPTR_GET"},
        BitCase{3, {6, 4}, "bit3"}, BitCase{3, {7, 0}, "bit3"},
        BitCase{4, {6, 0}, "KF_TRUSTED_ARGS"}, BitCase{4, {6, 19}, "KF_TRUSTED_ARGS"},
        BitCase{4, {7, 0}, "bit4"},
        BitCase{5, {6, 0}, "bit5"}, BitCase{5, {6, 1}, "KF_SLEEPABLE"},
        BitCase{6, {6, 0}, "bit6"}, BitCase{6, {6, 1}, "KF_DESTRUCTIVE"},
        BitCase{7, {6, 1}, "bit7"}, BitCase{7, {6, 2}, "KF_RCU"},
        BitCase{8, {6, 3}, "bit8"}, BitCase{8, {6, 4}, "KF_ITER_NEW"},
        BitCase{9, {6, 4}, "KF_ITER_NEXT"}, BitCase{10, {6, 4}, "KF_ITER_DESTROY"},
        BitCase{11, {6, 6}, "bit11"}, BitCase{11, {6, 7}, "KF_RCU_PROTECTED"},
        BitCase{12, {6, 12}, "bit12"}, BitCase{12, {6, 13}, "KF_FASTCALL"},
        BitCase{13, {6, 14}, "bit13"}, BitCase{13, {6, 15}, "KF_ARENA_RET"},
        BitCase{14, {6, 15}, "KF_ARENA_ARG1"}, BitCase{15, {6, 15}, "KF_ARENA_ARG2"},
        BitCase{16, {6, 19}, "bit16"}, BitCase{16, {7, 0}, "KF_IMPLICIT_ARGS"},
        BitCase{17, {7, 2}, "bit17"}, BitCase{29, {7, 2}, "bit29"},
        BitCase{30, {6, 1}, "KF_STABLE"}, BitCase{31, {6, 1}, "KF_DEPRECATED"}));

TEST(KfuncFlags, PatchLevelDoesNotMatter) {
  EXPECT_EQ(KfuncFlagName(3, KernelVersion(6, 3, 13), {}), "KF_KPTR_GET");
  EXPECT_EQ(KfuncFlagName(4, KernelVersion(6, 19, 99), {}), "KF_TRUSTED_ARGS");
}

TEST(KfuncFlags, DecodesRealWordsLowestBitFirst) {
  EXPECT_THAT(DecodeKfuncFlags(0x85, {6, 12}, {}), ElementsAre("KF_ACQUIRE", "KF_RET_NULL", "KF_RCU"));
  EXPECT_THAT(DecodeKfuncFlags(0xd, {6, 1}, {}), ElementsAre("KF_ACQUIRE", "KF_RET_NULL", "KF_KPTR_GET"));
  EXPECT_THAT(DecodeKfuncFlags(0x0, {6, 1}, {}), ElementsAre());
  EXPECT_THAT(DecodeKfuncFlags(0xC0000001u, {6, 1}, {}),
              ElementsAre("KF_ACQUIRE", "KF_STABLE", "KF_DEPRECATED"));
}

TEST(KfuncFlags, StableAndDeprecatedAtConfiguredPositions) {
  KfuncFlagPositions moved{.stable_bit = 20, .deprecated_bit = 21};
  EXPECT_THAT(DecodeKfuncFlags((1u << 20) | (1u << 21) | (1u << 30), {6, 8}, moved),
              ElementsAre("KF_STABLE", "KF_DEPRECATED", "bit30"));
  EXPECT_TRUE(HasFlagBit(1u << 20, moved.stable_bit));
  EXPECT_FALSE(HasFlagBit(1u << 30, moved.stable_bit));
  EXPECT_FALSE(HasFlagBit(0xffffffffu, 32));
  EXPECT_FALSE(HasFlagBit(0xffffffffu, -1));
}

}  // namespace
}  // namespace kfuncdb
