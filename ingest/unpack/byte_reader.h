// Bounds-checked integer reads from untrusted bytes. Every header field the
// unpacker looks at (bzImage setup header, arm64 Image header, BTF header,
// lzop and LZ4 block headers) goes through these, so a truncated or hostile
// file yields std::nullopt instead of an out-of-bounds read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kfuncdb::unpack {

// Little-endian unsigned integer of sizeof(T) bytes at `offset`, or nullopt
// when the bytes do not extend that far.
template <typename T>
std::optional<T> ReadLe(std::string_view bytes, size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return std::nullopt;
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<T>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return value;
}

// Big-endian variant (lzop headers are big-endian).
template <typename T>
std::optional<T> ReadBe(std::string_view bytes, size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return std::nullopt;
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>(value << 8) | static_cast<unsigned char>(bytes[offset + i]);
  }
  return value;
}

// True when `bytes` holds `magic` at `offset`.
inline bool HasMagicAt(std::string_view bytes, size_t offset, std::string_view magic) {
  return offset <= bytes.size() && bytes.size() - offset >= magic.size() &&
         bytes.substr(offset, magic.size()) == magic;
}

}  // namespace kfuncdb::unpack
