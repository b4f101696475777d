#include "common/kfunc_flags.h"

#include "absl/strings/str_cat.h"

namespace kfuncdb {

const std::vector<KfuncFlagBit>& UpstreamKfuncFlagBits() {
  // DOMAIN.md section 3 (the KF_* defines of include/linux/btf.h over
  // releases), checked against the corpus builds 6.1, 6.12 and 7.2. The
  // 5.13..5.19 kernels used separate BTF_SETs and no flags word at all.
  static const std::vector<KfuncFlagBit>* const kBits = new std::vector<KfuncFlagBit>{
      {"KF_ACQUIRE", 0, {6, 0}, std::nullopt},
      {"KF_RELEASE", 1, {6, 0}, std::nullopt},
      {"KF_RET_NULL", 2, {6, 0}, std::nullopt},
      {"KF_KPTR_GET", 3, {6, 0}, KernelVersion(6, 3)},
      {"KF_TRUSTED_ARGS", 4, {6, 0}, KernelVersion(6, 19)},
      {"KF_SLEEPABLE", 5, {6, 1}, std::nullopt},
      {"KF_DESTRUCTIVE", 6, {6, 1}, std::nullopt},
      {"KF_RCU", 7, {6, 2}, std::nullopt},
      {"KF_ITER_NEW", 8, {6, 4}, std::nullopt},
      {"KF_ITER_NEXT", 9, {6, 4}, std::nullopt},
      {"KF_ITER_DESTROY", 10, {6, 4}, std::nullopt},
      {"KF_RCU_PROTECTED", 11, {6, 7}, std::nullopt},
      // DOMAIN.md says 6.12 (unverified); the 6.12.118 corpus build has no bit
      // 12 and no bpf_fastcall tags while 6.18 has both, so 6.13 it is.
      {"KF_FASTCALL", 12, {6, 13}, std::nullopt},
      // Version unverified (DOMAIN.md); no corpus build between 6.12 and 6.18.
      {"KF_ARENA_RET", 13, {6, 15}, std::nullopt},
      {"KF_ARENA_ARG1", 14, {6, 15}, std::nullopt},
      {"KF_ARENA_ARG2", 15, {6, 15}, std::nullopt},
      {"KF_IMPLICIT_ARGS", 16, {7, 0}, std::nullopt},
  };
  return *kBits;
}

bool HasFlagBit(uint32_t flags, int bit) {
  return bit >= 0 && bit < 32 && (flags & (uint32_t{1} << bit)) != 0;
}

std::string KfuncFlagName(int bit, const KernelVersion& release, const KfuncFlagPositions& positions) {
  if (bit == positions.stable_bit) return "KF_STABLE";
  if (bit == positions.deprecated_bit) return "KF_DEPRECATED";
  KernelVersion base = release.Base();
  for (const KfuncFlagBit& known : UpstreamKfuncFlagBits()) {
    if (known.bit != bit || base < known.first) continue;
    if (known.last && base > *known.last) continue;
    return std::string(known.name);
  }
  return absl::StrCat("bit", bit);
}

std::vector<std::string> DecodeKfuncFlags(uint32_t flags, const KernelVersion& release,
                                          const KfuncFlagPositions& positions) {
  std::vector<std::string> names;
  for (int bit = 0; bit < 32; ++bit) {
    if (HasFlagBit(flags, bit)) names.push_back(KfuncFlagName(bit, release, positions));
  }
  return names;
}

}  // namespace kfuncdb
