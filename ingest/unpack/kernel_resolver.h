// Turns the bytes of a kernel, in whatever container it came, into one of
// the three forms extraction reads (KernelArtifacts::form): an ELF vmlinux,
// raw BTF, or sections cut from an arm64 Image. Containers are peeled by
// content: a bzImage's payload, a gzip-compressed Image.gz, a vmlinux.btf.xz,
// a BTFHub .btf.tar.xz (compressed tar holding raw BTF). Thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "ingest/extract/kernel_artifacts.h"
#include "ingest/unpack/decompress.h"

namespace kfuncdb::unpack {

struct ResolvedKernel {
  extract::KernelForm form = extract::KernelForm::kElfVmlinux;
  std::string kernel_bytes;     // kElfVmlinux, kRawBtf
  std::string btf_section;      // kImageSections
  std::string btf_ids_section;  // kImageSections
  std::string release_hint;     // bzImage header or Image banner; "" if unknown
  std::string arch_hint;        // "amd64", "arm64"; "" if unknown
  // How the bytes were reached: "bzImage, lz4-legacy payload", "xz, raw BTF".
  std::string how;
};

// Errors name the layer that failed ("bzImage payload (zstd at offset
// 17408): zstd stream is corrupt") but not the file: callers prefix it.
// A module, a package or unrecognised bytes are InvalidArgument.
absl::StatusOr<ResolvedKernel> ResolveKernel(std::string bytes, const DecompressLimits& limits);

}  // namespace kfuncdb::unpack
