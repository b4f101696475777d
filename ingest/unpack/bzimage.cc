#include "ingest/unpack/bzimage.h"

#include "absl/strings/str_cat.h"
#include "ingest/unpack/byte_reader.h"
#include "ingest/unpack/elf_probe.h"
#include "ingest/unpack/release_names.h"

namespace kfuncdb::unpack {
namespace {

// Setup header fields (Documentation/arch/x86/boot.rst).
constexpr size_t kSetupSects = 0x1F1;
constexpr size_t kHeaderMagic = 0x202;
constexpr size_t kProtocolVersion = 0x206;
constexpr size_t kKernelVersion = 0x20E;
constexpr size_t kPayloadOffset = 0x248;
constexpr size_t kPayloadLength = 0x24C;
constexpr uint16_t kProtocolWithPayload = 0x208;
// Candidates tried by the magic scan before giving up: bounds the work a
// hostile image can cause.
constexpr int kMaxScanCandidates = 64;

absl::StatusOr<std::string> DecompressToElf(Codec codec, std::string_view stream, size_t offset,
                                            const DecompressLimits& limits) {
  absl::StatusOr<std::string> out = Decompress(codec, stream, limits);
  if (!out.ok()) {
    return absl::Status(out.status().code(), absl::StrCat("bzImage payload (", CodecName(codec),
                                                          " at offset ", offset, "): ", out.status().message()));
  }
  if (!IsElf(*out)) {
    return absl::InvalidArgumentError(absl::StrCat("bzImage payload (", CodecName(codec), " at offset ", offset,
                                                   ") decompresses to ", out->size(), " bytes that are not an ELF vmlinux"));
  }
  return out;
}

}  // namespace

bool LooksLikeBzImage(std::string_view bytes) { return HasMagicAt(bytes, kHeaderMagic, "HdrS"); }

std::string BzImageRelease(std::string_view bytes) {
  std::optional<uint16_t> pointer = ReadLe<uint16_t>(bytes, kKernelVersion);
  if (!pointer || *pointer == 0) return "";
  size_t start = 0x200 + size_t{*pointer};
  if (start >= bytes.size()) return "";
  std::string_view text = bytes.substr(start, 256);
  std::string_view release = text.substr(0, text.find_first_of(std::string_view(" \0", 2)));
  return IsPlausibleRelease(release) ? std::string(release) : "";
}

absl::StatusOr<BzImageContents> UnpackBzImage(std::string_view bytes, const DecompressLimits& limits) {
  if (!LooksLikeBzImage(bytes)) return absl::InvalidArgumentError("not a bzImage (no HdrS setup header)");
  BzImageContents contents;
  contents.release = BzImageRelease(bytes);

  std::optional<uint8_t> setup_sects = ReadLe<uint8_t>(bytes, kSetupSects);
  std::optional<uint16_t> protocol = ReadLe<uint16_t>(bytes, kProtocolVersion);
  if (!setup_sects || !protocol) return absl::InvalidArgumentError("bzImage setup header is truncated");
  const size_t pm_start = (size_t{*setup_sects == 0 ? uint8_t{4} : *setup_sects} + 1) * 512;
  if (pm_start >= bytes.size()) {
    return absl::InvalidArgumentError(absl::StrCat("bzImage is truncated: protected-mode code starts at ", pm_start,
                                                   " but the file has ", bytes.size(), " bytes"));
  }

  if (*protocol >= kProtocolWithPayload) {
    std::optional<uint32_t> offset = ReadLe<uint32_t>(bytes, kPayloadOffset);
    std::optional<uint32_t> length = ReadLe<uint32_t>(bytes, kPayloadLength);
    if (!offset || !length) return absl::InvalidArgumentError("bzImage setup header is truncated");
    const uint64_t start = uint64_t{pm_start} + *offset;
    if (start + *length > bytes.size()) {
      return absl::InvalidArgumentError(absl::StrCat("bzImage payload (offset ", start, ", length ", *length,
                                                     ") extends past the end of the file (", bytes.size(),
                                                     " bytes): truncated or corrupt image"));
    }
    std::string_view payload = bytes.substr(start, *length);
    if (std::optional<Codec> codec = DetectCodec(payload)) {
      absl::StatusOr<std::string> elf = DecompressToElf(*codec, payload, start, limits);
      if (!elf.ok()) return elf.status();
      contents.codec = *codec;
      contents.vmlinux = *std::move(elf);
      return contents;
    }
  }

  // No usable payload fields: try every embedded stream, in file order.
  absl::Status last = absl::NotFoundError("bzImage holds no compressed stream the unpacker knows");
  size_t from = pm_start;
  for (int tried = 0; tried < kMaxScanCandidates; ++tried) {
    std::optional<EmbeddedStream> found = FindNextEmbeddedStream(bytes, from);
    if (!found) break;
    absl::StatusOr<std::string> elf = DecompressToElf(found->codec, bytes.substr(found->offset), found->offset, limits);
    if (elf.ok()) {
      contents.codec = found->codec;
      contents.found_by_scan = true;
      contents.vmlinux = *std::move(elf);
      return contents;
    }
    if (elf.status().code() == absl::StatusCode::kResourceExhausted) return elf.status();
    last = elf.status();
    from = found->offset + 1;
  }
  return last;
}

}  // namespace kfuncdb::unpack
