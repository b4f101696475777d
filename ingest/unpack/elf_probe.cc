#include "ingest/unpack/elf_probe.h"

#include <gelf.h>
#include <libelf.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "ingest/unpack/byte_reader.h"

namespace kfuncdb::unpack {
namespace {

// Reads "key=value" entries (NUL-separated) of a .modinfo section.
void ReadModinfo(std::string_view modinfo, ElfFacts& facts) {
  size_t pos = 0;
  while (pos < modinfo.size()) {
    size_t end = modinfo.find('\0', pos);
    if (end == std::string_view::npos) end = modinfo.size();
    std::string_view entry = modinfo.substr(pos, end - pos);
    if (entry.starts_with("name=")) {
      facts.module_name = std::string(entry.substr(5));
    } else if (entry.starts_with("vermagic=")) {
      std::string_view value = entry.substr(9);
      facts.vermagic_release = std::string(value.substr(0, value.find(' ')));
    }
    pos = end + 1;
  }
}

}  // namespace

bool IsElf(std::string_view bytes) { return HasMagicAt(bytes, 0, "\x7f" "ELF"); }

absl::StatusOr<ElfFacts> ProbeElf(std::string_view bytes) {
  static const bool libelf_ready = elf_version(EV_CURRENT) != EV_NONE;
  if (!libelf_ready) return absl::InternalError("libelf: elf_version failed");
  if (!IsElf(bytes)) return absl::InvalidArgumentError("not an ELF file (no \\x7fELF magic)");

  std::unique_ptr<Elf, int (*)(Elf*)> elf(
      elf_memory(const_cast<char*>(bytes.data()), bytes.size()), elf_end);
  GElf_Ehdr ehdr;
  if (elf == nullptr || gelf_getehdr(elf.get(), &ehdr) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("malformed ELF header: ", elf_errmsg(-1)));
  }
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf.get(), &shstrndx) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("malformed ELF section headers: ", elf_errmsg(-1)));
  }
  ElfFacts facts;
  facts.relocatable = ehdr.e_type == ET_REL;
  facts.machine = ehdr.e_machine;
  for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn != nullptr; scn = elf_nextscn(elf.get(), scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) continue;
    const char* name = elf_strptr(elf.get(), shstrndx, shdr.sh_name);
    if (name == nullptr) continue;
    std::string_view section(name);
    // SHT_NOBITS: the section was stripped into a debug file
    // (objcopy --only-keep-debug) and holds no bytes.
    const bool has_bytes = shdr.sh_type != SHT_NOBITS && shdr.sh_size > 0;
    if (section == ".BTF") facts.has_btf = has_bytes;
    if (section == ".BTF_ids") facts.has_btf_ids = has_bytes;
    if (section == ".modinfo" && shdr.sh_type != SHT_NOBITS) {
      // Bounds-check against the buffer ourselves: elf_getdata on a hostile
      // header could otherwise point past the end.
      if (shdr.sh_offset <= bytes.size() && bytes.size() - shdr.sh_offset >= shdr.sh_size) {
        ReadModinfo(bytes.substr(shdr.sh_offset, shdr.sh_size), facts);
      }
    }
  }
  return facts;
}

std::string_view DebianArchForMachine(uint16_t machine) {
  switch (machine) {
    case EM_X86_64: return "amd64";
    case EM_AARCH64: return "arm64";
    case EM_386: return "i386";
    case EM_RISCV: return "riscv64";
    case EM_PPC64: return "ppc64el";
    case EM_S390: return "s390x";
    case EM_LOONGARCH: return "loong64";
    default: return "";
  }
}

}  // namespace kfuncdb::unpack
