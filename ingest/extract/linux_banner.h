// linux_banner: "Linux version <release> (<builder>) (<compiler>) #1 SMP ...",
// the kernel's own statement of its release, in .rodata of a vmlinux.
//
// FindLinuxBanner looks, in order: at the `linux_banner` symbol when the ELF
// keeps symbols, then in .rodata, then anywhere in the file. Not-found is
// nullopt. Thread-unsafe only through ElfImage (see elf_image.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ingest/extract/elf_image.h"

namespace kfuncdb::extract {

struct LinuxBanner {
  std::string text;            // up to the newline or NUL, at most 512 bytes
  std::string kernel_release;  // the word after "Linux version "
};

// Parses a banner at the start of `bytes`; nullopt unless it starts with
// "Linux version " followed by a non-empty release word.
std::optional<LinuxBanner> ParseLinuxBanner(std::string_view bytes);

// Finds the first banner in `bytes` (a search for "Linux version ").
std::optional<LinuxBanner> SearchLinuxBanner(std::string_view bytes);

// Finds the banner of a vmlinux ELF as described above.
std::optional<LinuxBanner> FindLinuxBanner(const ElfImage& elf, std::string_view elf_bytes);

}  // namespace kfuncdb::extract
