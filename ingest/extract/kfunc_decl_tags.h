// Function-level BTF decl tags (DECL_TAG with component_idx -1 on a FUNC):
// `bpf_kfunc` marks kfuncs (pahole >= 1.27), `bpf_fastcall` the fastcall
// ones (pahole >= 1.28). In raw BTF they are the only record of which
// functions are kfuncs; with .BTF_ids they are cross-checked against sets.
//
// One pass over the BTF's own types (a split BTF's, not its base's).
// Not-found is an empty map. Thread-safe on a const btf.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/strong_id.h"

struct btf;

namespace kfuncdb::extract {

inline constexpr char kKfuncDeclTag[] = "bpf_kfunc";
inline constexpr char kFastcallDeclTag[] = "bpf_fastcall";

struct FuncDeclTags {
  // FUNC id -> its function-level decl tags, sorted, without duplicates.
  absl::flat_hash_map<BtfTypeId, std::vector<std::string>> by_func;
  // FUNCs tagged bpf_kfunc, in id order.
  std::vector<BtfTypeId> kfuncs;
};

FuncDeclTags CollectFuncDeclTags(const btf& handle);

}  // namespace kfuncdb::extract
