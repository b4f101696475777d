// arm64 `Image` (Debian's arm64 vmlinuz: an EFI-stub PE file starting with
// "MZ", with the arm64 image header magic "ARM\x64" at 0x38). It is not ELF,
// so the sections kfuncdb needs are cut out of it:
//
//  - .BTF: found by its header (magic 0xeB9F, version 1, flags 0, hdr_len 24:
//    bytes 9f eb 01 00 18 00 00 00), hdr_len + max(type_off + type_len,
//    str_off + str_len) bytes long; accepted only if libbpf's btf__new()
//    parses it (a stray magic in other data is skipped).
//  - .BTF_ids: the linker places it right after .BTF, 4-byte aligned
//    (include/asm-generic/vmlinux.lds.h). Its size is not recorded anywhere
//    in a stripped Image, so it is taken to end where the zero padding that
//    runs up to the next 4 KiB boundary begins (the next output section is
//    page aligned), keeping one zero word after the last non-zero word
//    because a set's last pair may have flags 0. Only a trailing empty set
//    (cnt 0, flags 0) could be lost, and it holds no kfunc. On the 6.1
//    Debian arm64 Image this yields 2,016 bytes holding 36 kfunc pairs.
//  - the release: the "Linux version <release>" banner.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kfuncdb::unpack {

bool LooksLikeArm64Image(std::string_view bytes);

struct Arm64ImageSections {
  std::string btf;
  std::string btf_ids;  // may be empty
  std::string release;  // "" when no banner was found
};

// Errors: no parseable BTF in the image ("built without CONFIG_DEBUG_INFO_BTF").
absl::StatusOr<Arm64ImageSections> CutArm64ImageSections(std::string_view bytes);

}  // namespace kfuncdb::unpack
