// Debian kernel packages (.deb), read in-process with libarchive: the outer
// `ar` archive, then `control.tar.*` (package metadata) and `data.tar.*`
// (xz, zstd or gzip), streamed member by member.
//
// From data.tar the reader takes the kernel (boot/vmlinuz-<rel>;
// usr/lib/modules/<rel>/vmlinuz in the split `linux-binary-*` packages; the
// debug vmlinux of `-dbg` packages under usr/lib/debug/) and every module
// under lib/modules/ or usr/lib/modules/ (.ko, .ko.xz, .ko.zst, .ko.gz).
// Members are chosen by path (the package layout); what they are is still
// decided by content. Only modules with .BTF_ids are kept.
// Thread-safe: each call opens its own readers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/extract/kernel_artifacts.h"
#include "ingest/unpack/decompress.h"
#include "ingest/unpack/kernel_resolver.h"
#include "ingest/unpack/module_scan.h"

namespace kfuncdb::unpack {

struct DebPackageContents {
  extract::PackageInfo package;
  // The kernel, when the package has one ("linux-modules-*" and the
  // metadata-only "linux-image-*" of split packaging have none).
  std::optional<ResolvedKernel> kernel;
  std::string kernel_member;  // path inside data.tar
  // Modules that have .BTF_ids (ScannedModule::kept set).
  std::vector<ScannedModule> modules;
  uint32_t modules_scanned = 0;
};

// Only the control file: Package, Version, Architecture (cheap: control.tar
// is the second member). Distribution "debian"; kernel_release from the
// package name when it names one.
absl::StatusOr<extract::PackageInfo> ReadDebControl(const std::filesystem::path& path);

// The whole package. Errors name the package, the member and the problem
// ("x.deb: data.tar.xz: usr/lib/modules/.../fou.ko.xz: xz stream is
// truncated"); a package that is truncated or lacks data.tar is an error.
absl::StatusOr<DebPackageContents> ReadDebPackage(const std::filesystem::path& path, const DecompressLimits& limits);

}  // namespace kfuncdb::unpack
