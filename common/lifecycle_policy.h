// LifecyclePolicy: the settings ingest and server must agree on to read the
// stable-kfunc proposal's flags: where KF_STABLE and KF_DEPRECATED sit in the
// KF_* word (per range of releases, since kernels may move them) and how many
// releases a deprecated kfunc must survive. Stored in the database (policy,
// policy_flag_bits tables); this is the in-memory form the derivation uses.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/strong_id.h"

namespace kfuncdb {

inline constexpr int kDefaultStableBit = 30;
inline constexpr int kDefaultDeprecatedBit = 31;
inline constexpr int kDefaultWindowReleases = 10;

struct FlagMasks {
  uint32_t stable = 0;
  uint32_t deprecated = 0;
  auto operator<=>(const FlagMasks&) const = default;
};

// Bit positions for the releases from..to (catalog ordinals, inclusive;
// nullopt: open-ended).
struct FlagBitsRule {
  std::optional<ReleaseOrdinal> from;
  std::optional<ReleaseOrdinal> to;
  int stable_bit = kDefaultStableBit;
  int deprecated_bit = kDefaultDeprecatedBit;
};

struct LifecyclePolicy {
  // A deprecated kfunc must still be present this many catalog positions
  // after deprecated_since (window_end); earliest_removal is one more.
  int window_releases = kDefaultWindowReleases;
  // Later rules win where ranges overlap; no matching rule: the defaults.
  std::vector<FlagBitsRule> flag_bits;

  FlagMasks MasksAt(ReleaseOrdinal release) const;
};

}  // namespace kfuncdb
