#include "client/bpf_object_kfuncs.h"

#include <elf.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include <bpf/btf.h>

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

}  // namespace

absl::StatusOr<std::vector<std::string>> ReadImportedKfuncs(const std::filesystem::path& object) {
  if (absl::Status header = CheckBpfElfHeader(object); !header.ok()) return header;

  // libbpf (1.0 API) returns NULL and sets errno: ENOENT when there is no
  // .BTF section, other values for malformed sections or BTF.
  errno = 0;
  BtfPtr types(btf__parse_elf(object.c_str(), nullptr), &btf__free);
  if (types == nullptr) {
    const int error = errno;
    if (error == ENOENT) {
      return absl::InvalidArgumentError(absl::StrCat(
          object.string(), ": no .BTF section; compile with -g so clang emits BTF"));
    }
    return absl::InvalidArgumentError(absl::StrCat(object.string(),
                                                   ": cannot read ELF/BTF (libbpf: ",
                                                   std::strerror(error), ")"));
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
