// ArchFromBtf on BTF written with libbpf's BTF writer: one struct pt_regs
// per architecture, with the registers where that architecture keeps them.
// The real kernels (amd64 raw BTF, arm64 Image) are checked in
// extract_corpus_test and extract_unpacked_test.
#include "ingest/extract/btf_arch.h"

#include <bpf/btf.h>

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace kfuncdb::extract {
namespace {

using BtfOwner = std::unique_ptr<btf, decltype(&btf__free)>;

BtfOwner NewBtf() { return BtfOwner(btf__new_empty(), &btf__free); }

// Adds `struct pt_regs` with the given unsigned long members.
void AddPtRegs(btf* handle, const std::vector<std::string>& members) {
  const int ulong = btf__add_int(handle, "long unsigned int", 8, 0);
  ASSERT_GT(ulong, 0);
  ASSERT_GT(btf__add_struct(handle, "pt_regs", 8 * members.size()), 0);
  for (size_t i = 0; i < members.size(); ++i) {
    ASSERT_EQ(btf__add_field(handle, members[i].c_str(), ulong, 64 * i, 0), 0);
  }
}

TEST(BtfArchTest, TellsEachArchitectureByItsRegisters) {
  struct Case {
    std::vector<std::string> members;
    std::string arch;
  };
  const std::vector<Case> cases = {
      {{"r15", "r14", "bx", "orig_ax", "ip"}, "amd64"},
      {{"bx", "cx", "orig_ax", "ip"}, "i386"},
      {{"epc", "ra", "orig_a0"}, "riscv64"},
      {{"regs", "orig_a0", "csr_era"}, "loong64"},
      {{"orig_gpr2", "flags"}, "s390x"},
  };
  for (const Case& c : cases) {
    BtfOwner handle = NewBtf();
    AddPtRegs(handle.get(), c.members);
    EXPECT_EQ(ArchFromBtf(*handle), c.arch) << c.members.front();
  }
}

// arm64 and powerpc keep their registers in an anonymous struct inside an
// anonymous union; powerpc's byte order is in the BTF header.
TEST(BtfArchTest, LooksIntoAnonymousMembersAndByteOrder) {
  for (const auto& [member, order, arch] :
       std::vector<std::tuple<std::string, btf_endianness, std::string>>{
           {"orig_x0", BTF_LITTLE_ENDIAN, "arm64"},
           {"orig_gpr3", BTF_LITTLE_ENDIAN, "ppc64el"},
           {"orig_gpr3", BTF_BIG_ENDIAN, "ppc64"}}) {
    BtfOwner handle = NewBtf();
    btf* b = handle.get();
    const int ulong = btf__add_int(b, "long unsigned int", 8, 0);
    const int inner = btf__add_struct(b, nullptr, 16);
    ASSERT_GT(inner, 0);
    ASSERT_EQ(btf__add_field(b, "sp", ulong, 0, 0), 0);
    ASSERT_EQ(btf__add_field(b, member.c_str(), ulong, 64, 0), 0);
    const int registers = btf__add_union(b, nullptr, 16);
    ASSERT_GT(registers, 0);
    ASSERT_EQ(btf__add_field(b, nullptr, inner, 0, 0), 0);
    ASSERT_GT(btf__add_struct(b, "pt_regs", 24), 0);
    ASSERT_EQ(btf__add_field(b, nullptr, registers, 0, 0), 0);
    ASSERT_EQ(btf__add_field(b, "trap", ulong, 128, 0), 0);
    ASSERT_EQ(btf__set_endianness(b, order), 0);
    EXPECT_EQ(ArchFromBtf(*b), arch) << member;
  }
}

TEST(BtfArchTest, UnknownWithoutPtRegsOrWithAnUnknownLayout) {
  BtfOwner none = NewBtf();
  ASSERT_GT(btf__add_int(none.get(), "int", 4, BTF_INT_SIGNED), 0);
  EXPECT_EQ(ArchFromBtf(*none), "");

  BtfOwner unknown = NewBtf();
  AddPtRegs(unknown.get(), {"cp0_status", "lo", "hi"});  // mips: not in the table
  EXPECT_EQ(ArchFromBtf(*unknown), "");
}

}  // namespace
}  // namespace kfuncdb::extract
