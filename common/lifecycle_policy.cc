#include "common/lifecycle_policy.h"

namespace kfuncdb {
namespace {

uint32_t Bit(int position) {
  return position >= 0 && position < 32 ? uint32_t{1} << position : 0;
}

}  // namespace

FlagMasks LifecyclePolicy::MasksAt(ReleaseOrdinal release) const {
  FlagMasks masks{Bit(kDefaultStableBit), Bit(kDefaultDeprecatedBit)};
  for (const FlagBitsRule& rule : flag_bits) {
    if (rule.from && release < *rule.from) continue;
    if (rule.to && release > *rule.to) continue;
    masks = {Bit(rule.stable_bit), Bit(rule.deprecated_bit)};
  }
  return masks;
}

}  // namespace kfuncdb
