// The .BTF_ids scan on hand-laid words, for the shapes real kernels and the
// fixtures do not happen to produce.
#include "ingest/extract/btf_id_sets.h"

#include <cstdint>
#include <initializer_list>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kfuncdb::extract {
namespace {

using ::testing::HasSubstr;

std::string Words(std::initializer_list<uint32_t> words, WordOrder order = WordOrder::kLittleEndian) {
  std::string bytes;
  for (uint32_t w : words) {
    for (int i = 0; i < 4; ++i) {
      int shift = order == WordOrder::kLittleEndian ? 8 * i : 8 * (3 - i);
      bytes.push_back(static_cast<char>((w >> shift) & 0xff));
    }
  }
  return bytes;
}

// FUNC ids are 10..20 in these tests.
bool IsFunc(BtfTypeId id) { return id.value() >= 10 && id.value() <= 20; }

TEST(ScanSet8s, FindsSetsBetweenIdListsAndKeepsHighFlagBits) {
  std::string section = Words({
      3, 7, 9,                           // a BTF_ID_LIST of non-FUNC ids
      2, 1, 11, 0x85, 14, 0xC0000000u,   // set8, BTF_SET8_KFUNCS, proposal bits
      0, 0,                              // padding / an empty set
      1, 0, 19, 0x20,                    // set8 with header flags 0
  });
  std::vector<BtfIdSet8> sets = ScanSet8s(section, WordOrder::kLittleEndian, IsFunc);
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].offset, 12u);
  EXPECT_EQ(sets[0].header_flags, 1u);
  ASSERT_EQ(sets[0].pairs.size(), 2u);
  EXPECT_EQ(sets[0].pairs[1].id, BtfTypeId(14));
  EXPECT_EQ(sets[0].pairs[1].flags, 0xC0000000u);
  EXPECT_EQ(sets[1].offset, 44u);
  EXPECT_EQ(sets[1].pairs[0].flags, 0x20u);
}

TEST(ScanSet8s, PlainBtfSetOfFuncsIsNotReadAsSet8) {
  // BTF_SET{10, 12}, BTF_SET{14}, then the real set8. Read from the first
  // word, the plain sets look like a set8 with pairs (12, 1), (14, 1): only
  // the header flags word (10, itself a FUNC id below 12) gives them away.
  std::string section = Words({2, 10, 12, 1, 14, 1, 1, 15, 5});
  std::vector<BtfIdSet8> sets = ScanSet8s(section, WordOrder::kLittleEndian, IsFunc);
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_EQ(sets[0].offset, 20u);
  EXPECT_EQ(sets[0].pairs[0].id, BtfTypeId(15));
}

TEST(ScanSet8s, RejectsUnsortedNonFuncAndOverrunningCandidates) {
  EXPECT_TRUE(ScanSet8s(Words({2, 0, 12, 0, 11, 0}), WordOrder::kLittleEndian, IsFunc).empty());
  EXPECT_TRUE(ScanSet8s(Words({2, 0, 12, 0, 12, 0}), WordOrder::kLittleEndian, IsFunc).empty());
  EXPECT_TRUE(ScanSet8s(Words({1, 0, 5, 0}), WordOrder::kLittleEndian, IsFunc).empty());
  // cnt 3 but only two pairs present: never read past the end.
  EXPECT_TRUE(ScanSet8s(Words({3, 0, 11, 0, 12, 0}), WordOrder::kLittleEndian, IsFunc).empty());
  EXPECT_TRUE(ScanSet8s(Words({0xffffffffu, 0}), WordOrder::kLittleEndian, IsFunc).empty());
  EXPECT_TRUE(ScanSet8s("", WordOrder::kLittleEndian, IsFunc).empty());
  // A ragged tail (not a whole word) is ignored.
  std::string ragged = Words({1, 0, 11, 0}) + "\x01\x02";
  EXPECT_EQ(ScanSet8s(ragged, WordOrder::kLittleEndian, IsFunc).size(), 1u);
}

TEST(ScanSet8s, ReadsBigEndianWords) {
  std::string section = Words({1, 1, 13, 0x5}, WordOrder::kBigEndian);
  std::vector<BtfIdSet8> sets = ScanSet8s(section, WordOrder::kBigEndian, IsFunc);
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_EQ(sets[0].pairs[0].id, BtfTypeId(13));
  EXPECT_EQ(sets[0].pairs[0].flags, 0x5u);
}

TEST(ReadSet8s, CountRunningPastTheSectionIsAnError) {
  std::string section = Words({1, 0, 11, 0x2, 5, 0, 12, 0});
  absl::StatusOr<std::vector<BtfIdSet8>> ok =
      ReadSet8s(section, {{"first", 0}}, WordOrder::kLittleEndian, "mod.ko");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ((*ok)[0].name, "first");
  EXPECT_EQ((*ok)[0].pairs[0].flags, 0x2u);

  absl::StatusOr<std::vector<BtfIdSet8>> overrun =
      ReadSet8s(section, {{"second", 16}}, WordOrder::kLittleEndian, "mod.ko");
  ASSERT_FALSE(overrun.ok());
  EXPECT_THAT(std::string(overrun.status().message()),
              HasSubstr("mod.ko: .BTF_ids: set8 second at offset 0x10 has cnt 5"));
  absl::StatusOr<std::vector<BtfIdSet8>> no_header =
      ReadSet8s(section, {{"tail", 30}}, WordOrder::kLittleEndian, "mod.ko");
  ASSERT_FALSE(no_header.ok());
  EXPECT_THAT(std::string(no_header.status().message()), HasSubstr("no room for its header"));
}

}  // namespace
}  // namespace kfuncdb::extract
