// StrongId: an integer wrapped in a distinct type per meaning, so a BTF type
// id cannot be passed where a database row id or a release ordinal is
// expected. Comparisons and hashing work within one id type only.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace kfuncdb {

template <typename Tag, typename Int>
class StrongId {
 public:
  using value_type = Int;
  constexpr StrongId() = default;
  constexpr explicit StrongId(Int value) : value_(value) {}
  constexpr Int value() const { return value_; }
  constexpr auto operator<=>(const StrongId&) const = default;

  template <typename H>
  friend H AbslHashValue(H h, const StrongId& id) {
    return H::combine(std::move(h), id.value_);
  }

 private:
  Int value_ = 0;
};

// Id of a type inside one BTF (base or split); 0 is `void`.
using BtfTypeId = StrongId<struct BtfTypeIdTag, uint32_t>;
// Row ids of the store's tables.
using BuildRowId = StrongId<struct BuildRowIdTag, int64_t>;
using NameRowId = StrongId<struct NameRowIdTag, int64_t>;
using PrototypeRowId = StrongId<struct PrototypeRowIdTag, int64_t>;
using LineageRowId = StrongId<struct LineageRowIdTag, int64_t>;
// Position of a release in a lineage's ordered catalog (0 = oldest). Release
// arithmetic ("ten releases later") is done on ordinals only.
using ReleaseOrdinal = StrongId<struct ReleaseOrdinalTag, int32_t>;

}  // namespace kfuncdb

template <typename Tag, typename Int>
struct std::hash<kfuncdb::StrongId<Tag, Int>> {
  size_t operator()(const kfuncdb::StrongId<Tag, Int>& id) const {
    return std::hash<Int>()(id.value());
  }
};
