// What a file or archive member is, decided from its first bytes only
// (magic numbers; never the name). The unpacker reads a short head of each
// input, classifies it, and only then reads or decompresses the rest.
#pragma once

#include <cstddef>
#include <string_view>

namespace kfuncdb::unpack {

enum class ContentKind {
  kUnknown,
  kDebianPackage,  // "!<arch>\ndebian-binary"
  kBzImage,        // "HdrS" at 0x202
  kArm64Image,     // "ARM\x64" at 0x38
  kElfKernel,      // ELF, e_type ET_EXEC or ET_DYN: a vmlinux
  kElfModule,      // ELF, e_type ET_REL: a .ko
  kRawBtf,         // BTF magic 0xeB9F: /sys/kernel/btf/vmlinux
  kCompressed,     // a whole-file compressed stream (see codec.h)
  kTar,            // "ustar" at 257 (BTFHub archives, once decompressed)
};

// Bytes of head enough for ClassifyContent.
inline constexpr size_t kClassifyHeadSize = 4096;

ContentKind ClassifyContent(std::string_view head);

const char* ContentKindName(ContentKind kind);

}  // namespace kfuncdb::unpack
