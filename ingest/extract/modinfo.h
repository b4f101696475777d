// A module's .modinfo section: NUL-separated "key=value" strings written by
// modpost. kfuncdb needs `name=` (the module, the owner of its kfuncs) and
// `vermagic=` ("6.1.0-56-cloud-amd64 SMP preempt mod_unload modversions"),
// whose first word is the kernel release the module was built for.
#pragma once

#include <string>
#include <string_view>

namespace kfuncdb::extract {

struct ModInfo {
  std::string name;              // empty when absent
  std::string vermagic_release;  // first word of vermagic=; empty when absent
};

// Never fails: missing keys stay empty, malformed entries are ignored.
ModInfo ParseModInfo(std::string_view section);

}  // namespace kfuncdb::extract
