// Compression formats the unpacker understands, recognised by their magic
// bytes (never by file name). The same set covers bzImage payloads (the
// kernel's CONFIG_KERNEL_{GZIP,XZ,LZMA,BZIP2,LZ4,LZO,ZSTD}), compressed
// modules (.ko.xz, .ko.zst) and files compressed as a whole.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace kfuncdb::unpack {

enum class Codec {
  kGzip,       // 1f 8b 08 (zlib streams 78 xx are accepted by the gzip decoder too)
  kXz,         // fd 37 7a 58 5a 00
  kLzma,       // lzma_alone: 5d 00 00 (props byte, dictionary size)
  kBzip2,      // "BZh"
  kLz4Legacy,  // 02 21 4c 18: the kernel's format (lz4 -l)
  kLz4Frame,   // 04 22 4d 18
  kLzo,        // lzop: 89 "LZO" 00 0d 0a 1a 0a
  kZstd,       // 28 b5 2f fd
};

// "gzip", "xz", ... as shown in origins and error messages.
const char* CodecName(Codec codec);

// The codec whose magic starts `bytes`, or nullopt.
std::optional<Codec> DetectCodec(std::string_view bytes);

// A compressed stream found inside a larger blob.
struct EmbeddedStream {
  size_t offset = 0;
  Codec codec = Codec::kGzip;
};

// Every position at or after `from` where some codec's magic starts, in file
// order: what scripts/extract-vmlinux tries, one candidate after another.
// Magics that are short and common (lzma's 5d 00 00) are checked more
// strictly (a plausible dictionary size) to keep false candidates rare.
std::optional<EmbeddedStream> FindNextEmbeddedStream(std::string_view bytes, size_t from);

}  // namespace kfuncdb::unpack
