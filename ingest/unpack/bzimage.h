// x86 bzImage (the boot/vmlinuz of x86 distributions): a real-mode setup
// header (magic "HdrS" at 0x202) followed by the protected-mode code, which
// carries the compressed vmlinux as its payload.
//
// The release string comes from the setup header's kernel_version pointer
// (u16 at 0x20E; the string sits at 0x200 + value). The payload is located
// through the header's payload_offset / payload_length (boot protocol 2.08+,
// relative to the protected-mode start, (setup_sects + 1) * 512, where
// setup_sects 0 means 4); when those do not point at a known compressed
// stream, the payload is searched by magic as scripts/extract-vmlinux does,
// keeping the first candidate that decompresses to an ELF.
// Thread-safe; every header read is bounds-checked.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ingest/unpack/codec.h"
#include "ingest/unpack/decompress.h"

namespace kfuncdb::unpack {

// True when `bytes` carries the setup header magic.
bool LooksLikeBzImage(std::string_view bytes);

// The release named by the setup header's version string ("6.1.0-56-cloud-amd64"),
// or "" when the pointer is absent or out of bounds.
std::string BzImageRelease(std::string_view bytes);

struct BzImageContents {
  std::string release;  // as BzImageRelease()
  Codec codec = Codec::kGzip;
  bool found_by_scan = false;  // payload fields unusable; found by magic
  std::string vmlinux;         // the decompressed ELF
};

// Decompresses the payload. Errors: header truncated, payload outside the
// file, payload corrupt (codec named), no compressed stream found, payload
// not an ELF.
absl::StatusOr<BzImageContents> UnpackBzImage(std::string_view bytes, const DecompressLimits& limits);

}  // namespace kfuncdb::unpack
