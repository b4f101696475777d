#include "ingest/unpack/content_kind.h"

#include "ingest/unpack/byte_reader.h"
#include "ingest/unpack/codec.h"
#include "ingest/unpack/elf_probe.h"

namespace kfuncdb::unpack {
namespace {

constexpr uint16_t kElfTypeRelocatable = 1;  // ET_REL

// e_type (offset 16), in the byte order EI_DATA (offset 5) announces.
std::optional<uint16_t> ElfType(std::string_view head) {
  if (head.size() < 18) return std::nullopt;
  return head[5] == 2 ? ReadBe<uint16_t>(head, 16) : ReadLe<uint16_t>(head, 16);
}

}  // namespace

ContentKind ClassifyContent(std::string_view head) {
  if (HasMagicAt(head, 0, "!<arch>\ndebian-binary")) return ContentKind::kDebianPackage;
  if (IsElf(head)) {
    std::optional<uint16_t> type = ElfType(head);
    if (!type) return ContentKind::kUnknown;
    return *type == kElfTypeRelocatable ? ContentKind::kElfModule : ContentKind::kElfKernel;
  }
  if (HasMagicAt(head, 0, std::string_view("\x9f\xeb\x01\x00", 4))) return ContentKind::kRawBtf;
  if (HasMagicAt(head, 0x202, "HdrS")) return ContentKind::kBzImage;
  if (HasMagicAt(head, 0x38, "ARM\x64")) return ContentKind::kArm64Image;
  if (HasMagicAt(head, 257, "ustar")) return ContentKind::kTar;
  if (DetectCodec(head)) return ContentKind::kCompressed;
  return ContentKind::kUnknown;
}

const char* ContentKindName(ContentKind kind) {
  switch (kind) {
    case ContentKind::kUnknown: return "unknown";
    case ContentKind::kDebianPackage: return "Debian package";
    case ContentKind::kBzImage: return "x86 bzImage";
    case ContentKind::kArm64Image: return "arm64 Image";
    case ContentKind::kElfKernel: return "ELF vmlinux";
    case ContentKind::kElfModule: return "ELF module";
    case ContentKind::kRawBtf: return "raw BTF";
    case ContentKind::kCompressed: return "compressed file";
    case ContentKind::kTar: return "tar archive";
  }
  return "unknown";
}

}  // namespace kfuncdb::unpack
