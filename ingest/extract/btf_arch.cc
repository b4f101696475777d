#include "ingest/extract/btf_arch.h"

#include <bpf/btf.h>

#include <string_view>

#include "absl/container/flat_hash_set.h"

namespace kfuncdb::extract {
namespace {

// pt_regs members that name one architecture (arch/*/include/asm/ptrace.h).
struct ArchSignature {
  std::string_view member;
  std::string_view arch;
};
constexpr ArchSignature kSignatures[] = {
    {"r15", "amd64"},         // x86-64 general registers
    {"orig_x0", "arm64"},     // arm64
    {"orig_a0", "riscv64"},   // riscv and loongarch both have it: csr_era first
    {"orig_gpr2", "s390x"},   // s390
    {"orig_gpr3", "ppc64"},   // powerpc; little-endian BTF makes it ppc64el
    {"orig_ax", "i386"},      // x86 without r15: 32-bit
};

// Member names of struct/union `id`, descending into anonymous members
// (arm64, s390 and powerpc keep their registers in an anonymous union).
void CollectMemberNames(const btf& handle, __u32 id, int depth,
                        absl::flat_hash_set<std::string_view>* names) {
  const btf_type* type = btf__type_by_id(&handle, id);
  if (type == nullptr || depth > 4 || !(btf_is_struct(type) || btf_is_union(type))) return;
  const btf_member* member = btf_members(type);
  for (__u16 i = 0; i < btf_vlen(type); ++i, ++member) {
    const char* name = btf__name_by_offset(&handle, member->name_off);
    if (name != nullptr && name[0] != '\0') {
      names->insert(name);
    } else {
      CollectMemberNames(handle, member->type, depth + 1, names);
    }
  }
}

}  // namespace

std::string ArchFromBtf(const btf& handle) {
  const __s32 id = btf__find_by_name_kind(&handle, "pt_regs", BTF_KIND_STRUCT);
  if (id <= 0) return "";
  absl::flat_hash_set<std::string_view> names;
  CollectMemberNames(handle, static_cast<__u32>(id), 0, &names);
  if (names.contains("csr_era")) return "loong64";
  for (const ArchSignature& signature : kSignatures) {
    if (!names.contains(signature.member)) continue;
    if (signature.arch == "ppc64" && btf__endianness(&handle) == BTF_LITTLE_ENDIAN) return "ppc64el";
    return std::string(signature.arch);
  }
  return "";
}

}  // namespace kfuncdb::extract
