// KernelArtifacts from plain files on disk, without the unpack layer
// (ingest/unpack/ reads packages, images and compressed modules; kfuncdb-ingest
// goes through it): the kernel is an uncompressed vmlinux ELF or raw BTF
// (/sys/kernel/btf/vmlinux), told apart by magic; modules are uncompressed
// .ko files.
//
// Modules that are ELF files without a .BTF_ids section are counted in
// modules_scanned and dropped; all other module files are kept for
// extraction, which explains in diagnostics any it cannot read.
#pragma once

#include <filesystem>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/extract/kernel_artifacts.h"

namespace kfuncdb::extract {

// Reads `kernel_path` and `module_paths`. Errors name the file: unreadable,
// or a kernel that is neither ELF nor raw BTF. content_sha256 covers every
// file read, kernel first, in the given order.
absl::StatusOr<KernelArtifacts> ArtifactsFromPlainFiles(
    const std::filesystem::path& kernel_path,
    const std::vector<std::filesystem::path>& module_paths);

}  // namespace kfuncdb::extract
