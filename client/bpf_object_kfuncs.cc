#include "client/bpf_object_kfuncs.h"

#include <elf.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string_view>

#include <bpf/btf.h>
#include <gelf.h>
#include <libelf.h>

#include "absl/strings/str_cat.h"

namespace kfuncdb::client {
namespace {

using BtfPtr = std::unique_ptr<btf, decltype(&btf__free)>;

// Rejects files libbpf would otherwise report with a bare errno: anything
// that is not a little- or big-endian 64-bit ELF relocatable for EM_BPF.
// Only the fixed-size identification and e_type/e_machine are read, with
// the length checked first.
absl::Status CheckBpfElfHeader(const std::filesystem::path& object) {
  std::ifstream in(object, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(object.string(), ": cannot open (", std::strerror(errno), ")"));
  }
  std::array<unsigned char, sizeof(Elf64_Ehdr)> header{};
  in.read(reinterpret_cast<char*>(header.data()), header.size());
  const size_t got = static_cast<size_t>(in.gcount());
  if (got < SELFMAG || std::memcmp(header.data(), ELFMAG, SELFMAG) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(object.string(), ": not an ELF file (expected a BPF object from clang -target bpf)"));
  }
  if (got < header.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(object.string(), ": truncated ELF header (", got, " bytes)"));
  }
  if (header[EI_CLASS] != ELFCLASS64) {
    return absl::InvalidArgumentError(
        absl::StrCat(object.string(), ": 32-bit ELF; BPF objects are 64-bit"));
  }
  const unsigned char encoding = header[EI_DATA];
  if (encoding != ELFDATA2LSB && encoding != ELFDATA2MSB) {
    return absl::InvalidArgumentError(
        absl::StrCat(object.string(), ": ELF header has an unknown byte order"));
  }
  // e_machine is a 16-bit field at a fixed offset, in the file's byte order.
  const size_t offset = offsetof(Elf64_Ehdr, e_machine);
  const unsigned machine = encoding == ELFDATA2LSB
                               ? header[offset] | (header[offset + 1] << 8)
                               : (header[offset] << 8) | header[offset + 1];
  if (machine != EM_BPF) {
    return absl::InvalidArgumentError(absl::StrCat(
        object.string(), ": ELF for machine ", machine, ", not BPF (", EM_BPF,
        "); pass the object clang -target bpf wrote, not a loader or skeleton"));
  }
  return absl::OkStatus();
}

struct ElfEnd {
  void operator()(Elf* elf) const { elf_end(elf); }
};

// The bytes of the object's .BTF section, found through libelf over the
// file held in memory. libbpf's own btf__parse_elf() is not used: on a
// section header whose data libelf cannot provide (found by the bpf_object
// fuzz target, fuzz/regressions/bpf_object/crash-54f2...), it memcpy()s from
// a null pointer. nullopt: the object has no .BTF section.
absl::StatusOr<std::optional<std::string>> ReadBtfSection(const std::filesystem::path& object) {
  std::ifstream in(object, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto malformed = [&](std::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(object.string(), ": cannot read ELF/BTF (", std::string(what), ")"));
  };
  elf_version(EV_CURRENT);
  std::unique_ptr<Elf, ElfEnd> elf(elf_memory(bytes.data(), bytes.size()));
  size_t names_index = 0;
  if (elf == nullptr || elf_kind(elf.get()) != ELF_K_ELF || elf_getshdrstrndx(elf.get(), &names_index) != 0) {
    return malformed(elf_errmsg(-1));
  }
  for (Elf_Scn* section = elf_nextscn(elf.get(), nullptr); section != nullptr;
       section = elf_nextscn(elf.get(), section)) {
    GElf_Shdr header;
    if (gelf_getshdr(section, &header) == nullptr) return malformed(elf_errmsg(-1));
    const char* name = elf_strptr(elf.get(), names_index, header.sh_name);
    if (name == nullptr || std::strcmp(name, ".BTF") != 0) continue;
    if (header.sh_type == SHT_NOBITS || header.sh_offset > bytes.size() ||
        header.sh_size > bytes.size() - header.sh_offset) {
      return malformed(".BTF section lies outside the file");
    }
    Elf_Data* data = elf_getdata(section, nullptr);
    if (data == nullptr || data->d_buf == nullptr || data->d_size == 0) {
      return malformed(".BTF section has no data");
    }
    return std::optional<std::string>(
        std::string(static_cast<const char*>(data->d_buf), data->d_size));
  }
  return std::optional<std::string>();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ReadImportedKfuncs(const std::filesystem::path& object) {
  if (absl::Status header = CheckBpfElfHeader(object); !header.ok()) return header;

  absl::StatusOr<std::optional<std::string>> section = ReadBtfSection(object);
  if (!section.ok()) return section.status();
  if (!section->has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        object.string(), ": no .BTF section; compile with -g so clang emits BTF"));
  }
  // libbpf (1.0 API) returns NULL and sets errno for malformed BTF.
  errno = 0;
  BtfPtr types(btf__new((*section)->data(), static_cast<__u32>((*section)->size())), &btf__free);
  if (types == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(object.string(),
                                                   ": cannot read ELF/BTF (libbpf: ",
                                                   std::strerror(errno), ")"));
  }

  std::vector<std::string> kfuncs;
  const __s32 ksyms_id = btf__find_by_name_kind(types.get(), ".ksyms", BTF_KIND_DATASEC);
  if (ksyms_id < 0) return kfuncs;  // No extern kernel symbols at all.
  const btf_type* ksyms = btf__type_by_id(types.get(), ksyms_id);
  const btf_var_secinfo* entry = btf_var_secinfos(ksyms);
  for (unsigned i = 0; i < btf_vlen(ksyms); ++i, ++entry) {
    // libbpf validated the type ids of DATASEC entries when parsing, but
    // the lookup is checked anyway: a null here means a malformed entry.
    const btf_type* type = btf__type_by_id(types.get(), entry->type);
    if (type == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          object.string(), ": .ksyms entry ", i, " names type id ", entry->type,
          ", which the BTF does not have"));
    }
    // For a FUNC, vlen holds the linkage.
    if (!btf_is_func(type) || btf_vlen(type) != BTF_FUNC_EXTERN) continue;
    const char* name = btf__name_by_offset(types.get(), type->name_off);
    if (name == nullptr || *name == '\0') {
      return absl::InvalidArgumentError(absl::StrCat(
          object.string(), ": .ksyms entry ", i, " is an extern function without a name"));
    }
    kfuncs.emplace_back(name);
  }
  std::sort(kfuncs.begin(), kfuncs.end());
  kfuncs.erase(std::unique(kfuncs.begin(), kfuncs.end()), kfuncs.end());
  return kfuncs;
}

}  // namespace kfuncdb::client
