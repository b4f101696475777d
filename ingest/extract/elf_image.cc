#include "ingest/extract/elf_image.h"

#include <elf.h>
#include <gelf.h>
#include <libelf.h>

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "common/status_macros.h"

namespace kfuncdb::extract {
namespace {

bool HostIsLittleEndian() {
  uint16_t probe = 1;
  unsigned char first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

// libelf needs elf_version() once per process before any other call.
bool InitLibelf() {
  static const bool ok = elf_version(EV_CURRENT) != EV_NONE;
  return ok;
}

}  // namespace

bool HasElfMagic(std::string_view bytes) {
  return bytes.size() >= SELFMAG && std::memcmp(bytes.data(), ELFMAG, SELFMAG) == 0;
}

void ElfImage::ElfEnd::operator()(Elf* elf) const { elf_end(elf); }

ElfImage::ElfImage(std::string origin) : origin_(std::move(origin)) {}
ElfImage::ElfImage(ElfImage&&) noexcept = default;
ElfImage& ElfImage::operator=(ElfImage&&) noexcept = default;
ElfImage::~ElfImage() = default;

absl::Status ElfImage::Malformed(std::string_view what) const {
  return absl::InvalidArgumentError(absl::StrCat(origin_, ": ", ToAbsl(what)));
}

absl::StatusOr<ElfImage> ElfImage::Open(std::string_view bytes, std::string origin) {
  ElfImage image(std::move(origin));
  if (!HasElfMagic(bytes) || bytes.size() < EI_NIDENT) return image.Malformed("not an ELF file");
  if (!InitLibelf()) return absl::InternalError("libelf: elf_version failed");
  image.bytes_ = bytes;
  bool file_little_endian = bytes[EI_DATA] == ELFDATA2LSB;
  if (file_little_endian != HostIsLittleEndian()) {
    image.foreign_endian_copy_ = std::make_unique<std::string>(bytes);
    image.bytes_ = *image.foreign_endian_copy_;
  }
  // elf_memory takes a mutable pointer but, for a file in host byte order
  // (ensured above), reads without writing.
  image.elf_.reset(elf_memory(const_cast<char*>(image.bytes_.data()), image.bytes_.size()));
  if (image.elf_ == nullptr || elf_kind(image.elf_.get()) != ELF_K_ELF) {
    return image.Malformed(absl::StrCat("not a readable ELF file (libelf: ", elf_errmsg(-1), ")"));
  }
  KFUNCDB_RETURN_IF_ERROR(image.Index());
  return image;
}

absl::Status ElfImage::Index() {
  GElf_Ehdr ehdr;
  if (gelf_getehdr(elf_.get(), &ehdr) == nullptr) {
    return Malformed(absl::StrCat("bad ELF header (libelf: ", elf_errmsg(-1), ")"));
  }
  type_ = ehdr.e_type;
  machine_ = ehdr.e_machine;
  big_endian_ = ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
  is_64bit_ = ehdr.e_ident[EI_CLASS] == ELFCLASS64;
  if (elf_getshdrstrndx(elf_.get(), &section_name_index_) != 0) {
    return Malformed(absl::StrCat("no section name table (libelf: ", elf_errmsg(-1), ")"));
  }
  for (Elf_Scn* scn = elf_nextscn(elf_.get(), nullptr); scn != nullptr;
       scn = elf_nextscn(elf_.get(), scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) {
      return Malformed(absl::StrCat("bad section header (libelf: ", elf_errmsg(-1), ")"));
    }
    if (shdr.sh_type != SHT_NOBITS &&
        (shdr.sh_offset > bytes_.size() || shdr.sh_size > bytes_.size() - shdr.sh_offset)) {
      const char* name = elf_strptr(elf_.get(), section_name_index_, shdr.sh_name);
      return Malformed(absl::StrCat("section ", name ? name : "(unnamed)", " (", shdr.sh_size,
                                    " bytes at offset ", shdr.sh_offset,
                                    ") extends past the end of the file (", bytes_.size(),
                                    " bytes)"));
    }
    if (shdr.sh_type == SHT_SYMTAB) symtab_index_ = elf_ndxscn(scn);
  }
  return absl::OkStatus();
}

std::string ElfImage::ArchName() const {
  switch (machine_) {
    case EM_X86_64: return "amd64";
    case EM_AARCH64: return "arm64";
    case EM_386: return "i386";
    case EM_ARM: return "armhf";
    case EM_PPC64: return big_endian_ ? "ppc64" : "ppc64el";
    case EM_S390: return "s390x";
    case EM_RISCV: return is_64bit_ ? "riscv64" : "";
    case EM_LOONGARCH: return "loong64";
    default: return "";
  }
}

std::optional<ElfImage::Section> ElfImage::FindSection(std::string_view name) const {
  for (Elf_Scn* scn = elf_nextscn(elf_.get(), nullptr); scn != nullptr;
       scn = elf_nextscn(elf_.get(), scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) continue;
    const char* section_name = elf_strptr(elf_.get(), section_name_index_, shdr.sh_name);
    if (section_name == nullptr || name != section_name) continue;
    Section section;
    section.name = name;
    section.address = shdr.sh_addr;
    section.index = elf_ndxscn(scn);
    // Bounds were checked for every section in Index().
    if (shdr.sh_type != SHT_NOBITS) section.bytes = bytes_.substr(shdr.sh_offset, shdr.sh_size);
    return section;
  }
  return std::nullopt;
}

std::optional<uint64_t> ElfImage::SectionOffset(const Symbol& symbol, const Section& section) const {
  uint64_t offset = symbol.value;
  if (type_ != ET_REL) {
    if (symbol.value < section.address) return std::nullopt;
    offset = symbol.value - section.address;
  }
  if (offset > section.bytes.size()) return std::nullopt;
  return offset;
}

absl::Status ElfImage::ForEachSymbol(absl::FunctionRef<void(const Symbol&)> visit) const {
  if (symtab_index_ == 0) return absl::OkStatus();
  Elf_Scn* scn = elf_getscn(elf_.get(), symtab_index_);
  GElf_Shdr shdr;
  if (scn == nullptr || gelf_getshdr(scn, &shdr) == nullptr) return Malformed("bad .symtab header");
  Elf_Data* data = elf_getdata(scn, nullptr);
  if (data == nullptr) {
    return Malformed(absl::StrCat("unreadable .symtab (libelf: ", elf_errmsg(-1), ")"));
  }
  size_t entry_size = gelf_fsize(elf_.get(), ELF_T_SYM, 1, EV_CURRENT);
  if (entry_size == 0) return Malformed("bad .symtab entry size");
  size_t count = data->d_size / entry_size;
  for (size_t i = 0; i < count; ++i) {
    GElf_Sym sym;
    if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) {
      return Malformed(absl::StrCat("unreadable .symtab entry ", i));
    }
    const char* name = elf_strptr(elf_.get(), shdr.sh_link, sym.st_name);
    Symbol symbol;
    symbol.name = name != nullptr ? std::string_view(name) : std::string_view();
    symbol.value = sym.st_value;
    symbol.size = sym.st_size;
    symbol.section_index = sym.st_shndx;
    visit(symbol);
  }
  return absl::OkStatus();
}

}  // namespace kfuncdb::extract
