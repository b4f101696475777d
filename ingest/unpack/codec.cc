#include "ingest/unpack/codec.h"

#include <array>
#include <cstring>

#include "ingest/unpack/byte_reader.h"

namespace kfuncdb::unpack {
namespace {

struct Magic {
  Codec codec;
  std::string_view bytes;
};

constexpr std::array<Magic, 8> kMagics = {{
    {Codec::kGzip, std::string_view("\x1f\x8b\x08", 3)},
    {Codec::kXz, std::string_view("\xfd" "7zXZ\x00", 6)},
    {Codec::kBzip2, std::string_view("BZh", 3)},
    {Codec::kLz4Legacy, std::string_view("\x02\x21\x4c\x18", 4)},
    {Codec::kLz4Frame, std::string_view("\x04\x22\x4d\x18", 4)},
    {Codec::kLzo, std::string_view("\x89LZO\x00\x0d\x0a\x1a\x0a", 9)},
    {Codec::kZstd, std::string_view("\x28\xb5\x2f\xfd", 4)},
    {Codec::kLzma, std::string_view("\x5d\x00\x00", 3)},
}};

// lzma_alone headers: properties byte 0x5d (lc=3 lp=0 pb=2, what `lzma` and
// the kernel use), a power-of-two-ish dictionary size, then the 64-bit
// uncompressed size (all ones when unknown).
bool PlausibleLzmaHeader(std::string_view bytes, size_t offset) {
  auto dict = ReadLe<uint32_t>(bytes, offset + 1);
  auto size = ReadLe<uint64_t>(bytes, offset + 5);
  if (!dict || !size) return false;
  if (*dict < (1u << 12) || *dict > (1u << 30)) return false;
  return *size == ~uint64_t{0} || *size < (uint64_t{1} << 40);
}

// bzip2: "BZh" then a block size digit '1'..'9'.
bool PlausibleBzip2Header(std::string_view bytes, size_t offset) {
  return offset + 3 < bytes.size() && bytes[offset + 3] >= '1' && bytes[offset + 3] <= '9';
}

bool MagicMatches(const Magic& magic, std::string_view bytes, size_t offset) {
  if (!HasMagicAt(bytes, offset, magic.bytes)) return false;
  if (magic.codec == Codec::kLzma) return PlausibleLzmaHeader(bytes, offset);
  if (magic.codec == Codec::kBzip2) return PlausibleBzip2Header(bytes, offset);
  return true;
}

}  // namespace

const char* CodecName(Codec codec) {
  switch (codec) {
    case Codec::kGzip: return "gzip";
    case Codec::kXz: return "xz";
    case Codec::kLzma: return "lzma";
    case Codec::kBzip2: return "bzip2";
    case Codec::kLz4Legacy: return "lz4-legacy";
    case Codec::kLz4Frame: return "lz4";
    case Codec::kLzo: return "lzo";
    case Codec::kZstd: return "zstd";
  }
  return "unknown";
}

std::optional<Codec> DetectCodec(std::string_view bytes) {
  for (const Magic& magic : kMagics) {
    if (MagicMatches(magic, bytes, 0)) return magic.codec;
  }
  // zlib (RFC 1950) without gzip wrapper: CMF 0x78, header checksum.
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x78 &&
      ((static_cast<unsigned char>(bytes[0]) << 8) | static_cast<unsigned char>(bytes[1])) % 31 == 0) {
    return Codec::kGzip;
  }
  return std::nullopt;
}

std::optional<EmbeddedStream> FindNextEmbeddedStream(std::string_view bytes, size_t from) {
  for (size_t offset = from; offset < bytes.size(); ++offset) {
    for (const Magic& magic : kMagics) {
      if (bytes[offset] == magic.bytes[0] && MagicMatches(magic, bytes, offset)) {
        return EmbeddedStream{offset, magic.codec};
      }
    }
  }
  return std::nullopt;
}

}  // namespace kfuncdb::unpack
