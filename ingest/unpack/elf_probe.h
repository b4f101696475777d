// Cheap facts about an ELF file held in memory, read with libelf: is it a
// kernel (ET_EXEC/ET_DYN) or a module (ET_REL), which architecture, does it
// carry .BTF / .BTF_ids, and what its .modinfo says. Used to classify inputs
// and to drop modules without .BTF_ids before they are kept in memory.
// Thread-safe (libelf handles are per call; elf_version is set once).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kfuncdb::unpack {

struct ElfFacts {
  bool relocatable = false;  // ET_REL: a module
  uint16_t machine = 0;      // e_machine
  // Present with bytes (not SHT_NOBITS, not empty).
  bool has_btf = false;
  bool has_btf_ids = false;
  // From .modinfo (modules): "name=" and the release (first word) of "vermagic=".
  std::string module_name;
  std::string vermagic_release;
};

// True when `bytes` starts with the ELF magic.
bool IsElf(std::string_view bytes);

// Facts about the ELF in `bytes`; an error naming what is malformed when
// libelf cannot read its section headers.
absl::StatusOr<ElfFacts> ProbeElf(std::string_view bytes);

// Debian's name for an ELF machine ("amd64", "arm64", ...), or "" if unknown.
std::string_view DebianArchForMachine(uint16_t machine);

}  // namespace kfuncdb::unpack
