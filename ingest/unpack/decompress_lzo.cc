// lzop files through liblzo2: the container `lzop -9` writes, which is what
// the kernel's CONFIG_KERNEL_LZO payload is (lib/decompress_unlzo.c reads it).
#include <lzo/lzo1x.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "ingest/unpack/byte_reader.h"
#include "ingest/unpack/decompressors.h"

namespace kfuncdb::unpack::internal {
namespace {

constexpr std::string_view kLzopMagic("\x89LZO\x00\x0d\x0a\x1a\x0a", 9);
// lzop header flags (lzop's conf.h).
constexpr uint32_t kAdler32Decompressed = 0x001;
constexpr uint32_t kAdler32Compressed = 0x002;
constexpr uint32_t kExtraField = 0x040;
constexpr uint32_t kCrc32Decompressed = 0x100;
constexpr uint32_t kCrc32Compressed = 0x200;
constexpr uint32_t kFilter = 0x800;
// lzop never writes blocks larger than this (MAX_BLOCK_SIZE).
constexpr uint32_t kMaxBlockSize = 64 << 20;

absl::Status Truncated(size_t offset) {
  return absl::DataLossError(absl::StrCat("lzo stream is truncated at offset ", offset));
}

// Offset of the first block after the lzop header, or an error.
absl::StatusOr<size_t> SkipLzopHeader(std::string_view in, uint32_t& flags) {
  if (!HasMagicAt(in, 0, kLzopMagic)) return absl::InvalidArgumentError("not an lzop stream");
  size_t pos = kLzopMagic.size();
  std::optional<uint16_t> version = ReadBe<uint16_t>(in, pos);
  if (!version) return Truncated(pos);
  pos += 4;                           // version, library version
  if (*version >= 0x0940) pos += 2;   // version needed to extract
  pos += 1;                           // method
  if (*version >= 0x0940) pos += 1;   // level
  std::optional<uint32_t> f = ReadBe<uint32_t>(in, pos);
  if (!f) return Truncated(pos);
  flags = *f;
  pos += 4;
  if (flags & kFilter) pos += 4;
  pos += 8;                           // mode, mtime low
  if (*version >= 0x0940) pos += 4;   // mtime high
  if (pos >= in.size()) return Truncated(pos);
  pos += 1 + static_cast<unsigned char>(in[pos]);  // file name
  pos += 4;                                        // header checksum
  if (flags & kExtraField) {
    std::optional<uint32_t> extra = ReadBe<uint32_t>(in, pos);
    if (!extra) return Truncated(pos);
    pos += 4 + static_cast<size_t>(*extra) + 4;
  }
  if (pos > in.size()) return Truncated(pos);
  return pos;
}

}  // namespace

absl::StatusOr<std::string> DecompressLzop(std::string_view input, const DecompressLimits& limits) {
  // lzo_init() only checks the library's build configuration; a static makes
  // it run once, thread-safely.
  static const bool lzo_ready = lzo_init() == LZO_E_OK;
  if (!lzo_ready) return absl::InternalError("lzo: lzo_init failed");

  uint32_t flags = 0;
  absl::StatusOr<size_t> start = SkipLzopHeader(input, flags);
  if (!start.ok()) return start.status();
  size_t pos = *start;
  const size_t d_checksums = ((flags & kAdler32Decompressed) ? 4 : 0) + ((flags & kCrc32Decompressed) ? 4 : 0);
  const size_t c_checksums = ((flags & kAdler32Compressed) ? 4 : 0) + ((flags & kCrc32Compressed) ? 4 : 0);

  std::string out;
  while (true) {
    std::optional<uint32_t> dst_len = ReadBe<uint32_t>(input, pos);
    if (!dst_len) return Truncated(pos);
    if (*dst_len == 0) break;  // end-of-stream marker
    std::optional<uint32_t> src_len = ReadBe<uint32_t>(input, pos + 4);
    if (!src_len) return Truncated(pos + 4);
    if (*dst_len > kMaxBlockSize || *src_len > *dst_len || *src_len == 0) {
      return absl::DataLossError(absl::StrCat("lzo stream is corrupt: block at offset ", pos, " claims ",
                                              *src_len, " -> ", *dst_len, " bytes"));
    }
    std::optional<uint32_t> adler = ReadBe<uint32_t>(input, pos + 8);
    pos += 8 + d_checksums + (*src_len < *dst_len ? c_checksums : 0);
    if (pos > input.size() || input.size() - pos < *src_len) return Truncated(pos);

    size_t keep = *dst_len;
    if (out.size() + *dst_len > limits.max_output) {
      if (!limits.truncate_at_limit) return OutputLimitError("lzo", limits.max_output);
      keep = limits.max_output - out.size();
    }
    size_t old = out.size();
    out.resize(old + *dst_len);
    auto* dst = reinterpret_cast<unsigned char*>(out.data() + old);
    const auto* src = reinterpret_cast<const unsigned char*>(input.data() + pos);
    if (*src_len == *dst_len) {
      std::copy(src, src + *src_len, dst);  // stored block
    } else {
      lzo_uint produced = *dst_len;
      int rc = lzo1x_decompress_safe(src, *src_len, dst, &produced, nullptr);
      if (rc != LZO_E_OK || produced != *dst_len) {
        return absl::DataLossError(absl::StrCat("lzo stream is corrupt: block at offset ", pos,
                                                " does not decode (liblzo2 error ", rc, ")"));
      }
    }
    if ((flags & kAdler32Decompressed) && adler && lzo_adler32(1, dst, *dst_len) != *adler) {
      return absl::DataLossError(absl::StrCat("lzo stream is corrupt: checksum mismatch in block at offset ", pos));
    }
    pos += *src_len;
    if (keep < *dst_len) {
      out.resize(old + keep);
      break;
    }
  }
  return out;
}

}  // namespace kfuncdb::unpack::internal
