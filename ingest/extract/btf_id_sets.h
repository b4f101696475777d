// btf_id_set8 sets in a .BTF_ids section (DOMAIN.md section 2):
//
//   struct btf_id_set8 { u32 cnt; u32 flags; struct { u32 id; u32 flags; } pairs[cnt]; };
//
// `id` is the BTF id of a FUNC and the pair's flags the KF_* word. Sets are
// found two ways:
//
// - By symbols (vmlinux with .symtab, every module): each
//   `__BTF_ID__set8__<name>` symbol marks a header; the set is named.
//   A header whose count runs past the section is an error.
// - By scanning (stripped vmlinux, arm64 Image sections): every 4-byte
//   aligned offset is tried as a header; a candidate is a set when
//     * cnt > 0 and the whole set (8 * (cnt + 1) bytes) fits in the section
//       (a candidate running past the end is simply not a set),
//     * every pair id is a FUNC id and the ids strictly ascend (resolve_btfids
//       sorts each set by id),
//     * the header flags word is not itself a FUNC id below the first pair
//       id: that is the shape of a plain BTF_SET of FUNC ids (u32 cnt, then
//       ascending ids) read as a set8, whose pairs would take alternate ids.
//   Pair flags are not inspected (the stable-kfuncs bits may sit anywhere in
//   the word). After a set is found the scan continues behind it. Empty sets
//   (cnt 0) cannot be told from zero padding and hold no kfunc: not reported.
//   BTF_ID_LISTs fail the checks because their first word, read as cnt, is a
//   type id far larger than what remains of the section, or their ids are
//   not ascending FUNCs. On every Debian kernel checked this finds exactly
//   the sets the debug symbols name. Linear in the section size, whatever
//   the section holds.
//
// Pure functions over bytes; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/strong_id.h"
#include "ingest/extract/elf_image.h"

namespace kfuncdb::extract {

struct BtfIdPair {
  BtfTypeId id;
  uint32_t flags = 0;
};

struct BtfIdSet8 {
  std::optional<std::string> name;  // from the __BTF_ID__set8__ symbol
  uint32_t header_flags = 0;
  size_t offset = 0;  // of the header within .BTF_ids
  std::vector<BtfIdPair> pairs;
};

// A set8 header located by its symbol.
struct Set8Symbol {
  std::string name;  // without the __BTF_ID__set8__ prefix
  uint64_t offset = 0;
};

// Byte order of the words in the section (the kernel's).
enum class WordOrder { kLittleEndian, kBigEndian };

// True when a BTF id names a FUNC.
using IsFuncId = absl::FunctionRef<bool(BtfTypeId)>;

// The `__BTF_ID__set8__` symbols of `elf` that lie in `btf_ids`, in offset
// order (one per offset). InvalidArgument naming the origin when a symbol's
// value lies outside the section.
absl::StatusOr<std::vector<Set8Symbol>> FindSet8Symbols(const ElfImage& elf,
                                                        const ElfImage::Section& btf_ids);

// Reads the sets at the given headers. InvalidArgument naming `origin`, the
// set and the sizes when a header or its pairs run past the section.
absl::StatusOr<std::vector<BtfIdSet8>> ReadSet8s(std::string_view btf_ids,
                                                 const std::vector<Set8Symbol>& headers,
                                                 WordOrder order, std::string_view origin);

// Finds set8 sets without symbols, as described above; unnamed.
std::vector<BtfIdSet8> ScanSet8s(std::string_view btf_ids, WordOrder order, IsFuncId is_func);

}  // namespace kfuncdb::extract
