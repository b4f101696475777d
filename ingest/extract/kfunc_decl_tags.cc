#include "ingest/extract/kfunc_decl_tags.h"

#include <bpf/btf.h>

#include <algorithm>

#include "ingest/extract/btf_handle.h"

namespace kfuncdb::extract {

FuncDeclTags CollectFuncDeclTags(const btf& handle) {
  FuncDeclTags tags;
  uint32_t end = btf__type_cnt(&handle);
  for (uint32_t id = FirstOwnTypeId(handle).value(); id < end; ++id) {
    const btf_type* type = btf__type_by_id(&handle, id);
    if (type == nullptr || !btf_is_decl_tag(type) || btf_decl_tag(type)->component_idx != -1) continue;
    BtfTypeId target(type->type);
    if (FuncById(handle, target) == nullptr) continue;
    const char* value = btf__name_by_offset(&handle, type->name_off);
    if (value == nullptr) continue;
    std::vector<std::string>& names = tags.by_func[target];
    if (std::find(names.begin(), names.end(), value) != names.end()) continue;
    names.insert(std::upper_bound(names.begin(), names.end(), value), value);
    if (std::string_view(value) == kKfuncDeclTag) tags.kfuncs.push_back(target);
  }
  std::sort(tags.kfuncs.begin(), tags.kfuncs.end());
  return tags;
}

}  // namespace kfuncdb::extract
