#include "ingest/unpack/arm64_image.h"

#include <bpf/btf.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "ingest/unpack/byte_reader.h"
#include "ingest/unpack/release_names.h"

namespace kfuncdb::unpack {
namespace {

constexpr size_t kImageMagicOffset = 0x38;
constexpr std::string_view kBtfHeaderMagic("\x9f\xeb\x01\x00\x18\x00\x00\x00", 8);
constexpr size_t kPadBoundary = 4096;
// Far above any real .BTF_ids (a few KiB): bounds the scan on hostile input.
constexpr size_t kMaxBtfIdsSize = 1 << 20;

// Size of the BTF blob whose header starts at `offset`, if the header fits
// and describes bytes inside `image`.
std::optional<size_t> BtfBlobSize(std::string_view image, size_t offset) {
  auto hdr_len = ReadLe<uint32_t>(image, offset + 4);
  auto type_off = ReadLe<uint32_t>(image, offset + 8);
  auto type_len = ReadLe<uint32_t>(image, offset + 12);
  auto str_off = ReadLe<uint32_t>(image, offset + 16);
  auto str_len = ReadLe<uint32_t>(image, offset + 20);
  if (!hdr_len || !type_off || !type_len || !str_off || !str_len) return std::nullopt;
  uint64_t size = uint64_t{*hdr_len} + std::max(uint64_t{*type_off} + *type_len, uint64_t{*str_off} + *str_len);
  if (size > image.size() - offset) return std::nullopt;
  return static_cast<size_t>(size);
}

bool LibbpfAccepts(std::string_view blob) {
  std::unique_ptr<btf, void (*)(btf*)> parsed(btf__new(blob.data(), static_cast<__u32>(blob.size())), btf__free);
  return parsed != nullptr;  // libbpf 1.x returns NULL on error
}

// See the header comment for how the end of .BTF_ids is chosen.
std::string_view CutBtfIds(std::string_view image, size_t start) {
  const size_t limit = std::min(image.size(), start + kMaxBtfIdsSize);
  size_t last_nonzero_end = start;
  for (size_t pos = start; pos + 4 <= limit; pos += 4) {
    // Zeros ran up to a page boundary: that is padding, the section ended.
    if (pos > start && pos % kPadBoundary == 0 && last_nonzero_end < pos) break;
    if (*ReadLe<uint32_t>(image, pos) != 0) last_nonzero_end = pos + 4;
  }
  if (last_nonzero_end == start) return {};
  size_t end = std::min(last_nonzero_end + 4, limit & ~size_t{3});
  return image.substr(start, end - start);
}

}  // namespace

bool LooksLikeArm64Image(std::string_view bytes) { return HasMagicAt(bytes, kImageMagicOffset, "ARM\x64"); }

absl::StatusOr<Arm64ImageSections> CutArm64ImageSections(std::string_view bytes) {
  if (!LooksLikeArm64Image(bytes)) return absl::InvalidArgumentError("not an arm64 Image (no ARM\\x64 magic at 0x38)");
  for (size_t at = bytes.find(kBtfHeaderMagic); at != std::string_view::npos;
       at = bytes.find(kBtfHeaderMagic, at + 1)) {
    std::optional<size_t> size = BtfBlobSize(bytes, at);
    if (!size || !LibbpfAccepts(bytes.substr(at, *size))) continue;
    Arm64ImageSections sections;
    sections.btf = std::string(bytes.substr(at, *size));
    size_t ids_start = (at + *size + 3) & ~size_t{3};
    if (ids_start < bytes.size()) sections.btf_ids = std::string(CutBtfIds(bytes, ids_start));
    sections.release = FindBannerRelease(bytes).value_or("");
    return sections;
  }
  return absl::NotFoundError("arm64 Image holds no BTF that libbpf can parse (kernel built without CONFIG_DEBUG_INFO_BTF?)");
}

}  // namespace kfuncdb::unpack
