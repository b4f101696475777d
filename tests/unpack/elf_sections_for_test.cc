#include "tests/unpack/elf_sections_for_test.h"

#include <gelf.h>
#include <libelf.h>

#include <memory>

namespace kfuncdb::testing {

std::optional<std::string> ElfSectionBytes(std::string_view elf_bytes, std::string_view name) {
  if (elf_version(EV_CURRENT) == EV_NONE) return std::nullopt;
  std::unique_ptr<Elf, int (*)(Elf*)> elf(elf_memory(const_cast<char*>(elf_bytes.data()), elf_bytes.size()),
                                          elf_end);
  size_t shstrndx = 0;
  if (elf == nullptr || elf_getshdrstrndx(elf.get(), &shstrndx) != 0) return std::nullopt;
  for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn != nullptr; scn = elf_nextscn(elf.get(), scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) continue;
    const char* section = elf_strptr(elf.get(), shstrndx, shdr.sh_name);
    if (section == nullptr || name != section) continue;
    if (shdr.sh_offset > elf_bytes.size() || elf_bytes.size() - shdr.sh_offset < shdr.sh_size) return std::nullopt;
    return std::string(elf_bytes.substr(shdr.sh_offset, shdr.sh_size));
  }
  return std::nullopt;
}

}  // namespace kfuncdb::testing
