// Owners of libbpf `struct btf` objects parsed from bytes: the vmlinux BTF
// (from a .BTF section or raw /sys/kernel/btf/vmlinux bytes) and a module's
// split BTF on top of it. libbpf copies the bytes, so the input need not
// outlive the result; a split BTF needs its base to outlive it.
//
// libbpf errno values become statuses naming the origin:
// "nf_nat.ko: .BTF: cannot parse BTF (Invalid argument)".
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/strong_id.h"

struct btf;
struct btf_type;

namespace kfuncdb::extract {

struct BtfFree {
  void operator()(btf* handle) const;
};
using BtfPtr = std::unique_ptr<btf, BtfFree>;

// Whether `bytes` start with the BTF header magic 0xeB9F (either byte order).
bool HasBtfMagic(std::string_view bytes);

// Parses standalone BTF. `origin` names the bytes in errors.
absl::StatusOr<BtfPtr> ParseBtf(std::string_view bytes, std::string_view origin);

// Parses split BTF whose type ids continue after `base`'s.
absl::StatusOr<BtfPtr> ParseSplitBtf(std::string_view bytes, const btf& base, std::string_view origin);

// The first type id that belongs to `handle` itself: 1 for standalone BTF,
// one past the base's last id for split BTF.
BtfTypeId FirstOwnTypeId(const btf& handle);

// The FUNC type with id `id`, or nullptr when `id` is out of range or names
// another kind.
const btf_type* FuncById(const btf& handle, BtfTypeId id);

}  // namespace kfuncdb::extract
