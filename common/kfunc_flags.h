// The KF_* flag table: names of the bits of a kfunc's flags word, by kernel
// release (DOMAIN.md section 3). The same bit means different things in
// different kernels (bit 3 is KF_KPTR_GET only in 6.0..6.3; bit 4 is
// KF_TRUSTED_ARGS only before 7.0), so decoding always takes the release.
// The proposal's KF_STABLE and KF_DEPRECATED sit at configurable positions.
//
// Pure functions over a constant table; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/kernel_version.h"

namespace kfuncdb {

// Bit positions (0..31) of the stable-kfuncs proposal's flags.
struct KfuncFlagPositions {
  int stable_bit = 30;
  int deprecated_bit = 31;
};

// One upstream flag bit and the base releases where it has that meaning
// (`last` inclusive; nullopt: still in use).
struct KfuncFlagBit {
  std::string_view name;
  int bit;
  KernelVersion first;
  std::optional<KernelVersion> last;
};

// The upstream table, oldest bits first.
const std::vector<KfuncFlagBit>& UpstreamKfuncFlagBits();

// Name of `bit` in kernels of base release `release` (patch ignored):
// "KF_STABLE"/"KF_DEPRECATED" at their configured positions (these win over
// an upstream meaning of the same bit), else the upstream name valid in that
// release, else "bit<N>".
std::string KfuncFlagName(int bit, const KernelVersion& release, const KfuncFlagPositions& positions);

// Names of every set bit of `flags`, lowest bit first.
std::vector<std::string> DecodeKfuncFlags(uint32_t flags, const KernelVersion& release,
                                          const KfuncFlagPositions& positions);

// Whether `flags` has the bit at `bit` (false for positions outside 0..31).
bool HasFlagBit(uint32_t flags, int bit);

}  // namespace kfuncdb
