// Test helper: the bytes of a named ELF section, read with libelf, to
// compare what the unpacker cut out of an image with the real section.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kfuncdb::testing {

// Section `name` of the ELF in `elf`, or nullopt when absent/unreadable.
std::optional<std::string> ElfSectionBytes(std::string_view elf, std::string_view name);

}  // namespace kfuncdb::testing
