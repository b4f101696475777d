#include "ingest/extract/modinfo.h"

namespace kfuncdb::extract {

ModInfo ParseModInfo(std::string_view section) {
  ModInfo info;
  while (!section.empty()) {
    size_t end = section.find('\0');
    std::string_view entry = section.substr(0, end);
    section = end == std::string_view::npos ? std::string_view() : section.substr(end + 1);
    if (entry.substr(0, 5) == "name=" && info.name.empty()) {
      info.name = std::string(entry.substr(5));
    } else if (entry.substr(0, 9) == "vermagic=" && info.vermagic_release.empty()) {
      std::string_view vermagic = entry.substr(9);
      info.vermagic_release = std::string(vermagic.substr(0, vermagic.find(' ')));
    }
  }
  return info;
}

}  // namespace kfuncdb::extract
