// ElfImage: read-only view of an ELF file held in memory (a vmlinux or a
// .ko), through libelf's elf_memory. Sections are looked up by name and
// returned as byte spans that are bounds-checked against the file; symbols
// of .symtab are iterated with their section index. Nothing is copied: the
// bytes passed to Open must outlive the image.
//
// Errors name the origin ("nf_nat.ko: not an ELF file"). An ElfImage is
// movable, not copyable, and not safe for concurrent use (libelf descriptors
// keep internal caches). Files in the other byte order are copied first,
// since libelf converts their data in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct Elf;

namespace kfuncdb::extract {

// Whether `bytes` start with the ELF magic "\x7fELF".
bool HasElfMagic(std::string_view bytes);

class ElfImage {
 public:
  struct Section {
    std::string_view name;
    std::string_view bytes;  // empty for SHT_NOBITS
    uint64_t address = 0;    // sh_addr: run-time address (0 in ET_REL files)
    size_t index = 0;
  };

  struct Symbol {
    std::string_view name;
    uint64_t value = 0;
    uint64_t size = 0;
    size_t section_index = 0;  // st_shndx
  };

  // Opens `bytes` as an ELF file. InvalidArgument naming `origin` when the
  // bytes are not ELF or their headers are malformed (section headers,
  // section name table, or a section extending past the end of the file).
  static absl::StatusOr<ElfImage> Open(std::string_view bytes, std::string origin);

  ElfImage(ElfImage&&) noexcept;
  ElfImage& operator=(ElfImage&&) noexcept;
  ~ElfImage();

  const std::string& origin() const { return origin_; }
  // e_type: ET_EXEC (vmlinux), ET_REL (.ko), ET_DYN...
  uint16_t type() const { return type_; }
  uint16_t machine() const { return machine_; }
  bool big_endian() const { return big_endian_; }
  // Debian's architecture name for e_machine ("amd64", "arm64", ...); empty
  // for machines kfuncdb does not know.
  std::string ArchName() const;

  // The first section named `name`, or nullopt when there is none.
  std::optional<Section> FindSection(std::string_view name) const;

  // Offset within `section` of a symbol's value: st_value is an address in
  // ET_EXEC/ET_DYN files and already a section offset in ET_REL files.
  // nullopt when the value lies outside the section.
  std::optional<uint64_t> SectionOffset(const Symbol& symbol, const Section& section) const;

  // Whether the file has a .symtab (distribution vmlinux images do not).
  bool has_symbols() const { return symtab_index_ != 0; }

  // Calls `visit` for every .symtab symbol (none without .symtab).
  // InvalidArgument naming the origin when .symtab is malformed.
  absl::Status ForEachSymbol(absl::FunctionRef<void(const Symbol&)> visit) const;

 private:
  struct ElfEnd {
    void operator()(Elf* elf) const;
  };
  explicit ElfImage(std::string origin);
  absl::Status Index();
  absl::Status Malformed(std::string_view what) const;

  std::string_view bytes_;
  std::unique_ptr<std::string> foreign_endian_copy_;  // owns bytes_ when set
  std::string origin_;
  std::unique_ptr<Elf, ElfEnd> elf_;
  uint16_t type_ = 0;
  uint16_t machine_ = 0;
  bool big_endian_ = false;
  bool is_64bit_ = true;
  size_t section_name_index_ = 0;
  size_t symtab_index_ = 0;
};

}  // namespace kfuncdb::extract
