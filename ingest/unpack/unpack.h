// kfuncdb_unpack's entry point: turns what the user names (Debian packages,
// bzImages, arm64 Images, ELF vmlinux, raw BTF, modules, files compressed as
// a whole, BTFHub archives, folders of any of these) into KernelArtifacts,
// one per kernel build. Formats are recognised by content, never by name.
//
// Two steps, so a thread pool can spread the expensive one:
//  1. PlanBuilds: expands folders, classifies every file by its magic and
//     groups files into builds by kernel release (cheap: reads package
//     control files, setup headers, banners and module vermagic, but
//     decompresses no kernel). Files that carry the same release form one
//     build: the three split packages of Debian 7.x (linux-image-*,
//     linux-binary-*, linux-modules-*), an unpacked package root
//     (boot/vmlinuz + lib/modules/...), a kernel with loose .ko files.
//     Files whose release cannot be known cheaply (raw BTF, BTFHub archives)
//     are builds of their own.
//  2. UnpackBuild: reads and decompresses one build's files into
//     KernelArtifacts. Modules are kept only when they have .BTF_ids and
//     their vermagic names the build's release; all are counted.
//
// Every function is thread-safe and keeps no global state: plans can be
// unpacked concurrently. Errors name the file (and archive member) and what
// is wrong; hostile input yields an error, never a crash.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/extract/kernel_artifacts.h"
#include "ingest/unpack/content_kind.h"
#include "ingest/unpack/module_scan.h"

namespace kfuncdb::unpack {

struct UnpackOptions {
  // Cap on any one decompressed stream or archive member (decompression bombs).
  uint64_t max_decompressed_bytes = uint64_t{1} << 30;
};

// One input file, classified.
struct InputFile {
  std::filesystem::path path;
  ContentKind kind = ContentKind::kUnknown;
  // For a compressed file, the kind of what is inside; else == kind.
  ContentKind inner_kind = ContentKind::kUnknown;
  // Kernel release the file belongs to; "" when not cheaply known.
  std::string release;
  // Debian packages: their control data.
  extract::PackageInfo package;
  // Loose modules: already scanned (small), so not read twice.
  std::optional<ScannedModule> module;
};

// Files that make one build, in the order they were named / found.
struct BuildPlan {
  std::string release;  // "" for a lone file whose release is unknown
  std::vector<InputFile> files;
};

// Classifies one file by content. Errors: unreadable file; kUnknown kinds
// are returned, not errors (the caller decides).
absl::StatusOr<InputFile> ClassifyInput(const std::filesystem::path& path, const UnpackOptions& options);

// Expands folders (recursively; files of unknown format inside folders are
// skipped), classifies and groups. A named file of unknown format is an
// error naming it.
absl::StatusOr<std::vector<BuildPlan>> PlanBuilds(const std::vector<std::filesystem::path>& inputs,
                                                  const UnpackOptions& options);

// Groups classified files into builds by release, keeping their order
// (what PlanBuilds does after classifying; for callers that classified
// files themselves, e.g. one at a time to report each failure).
std::vector<BuildPlan> GroupIntoBuilds(std::vector<InputFile> files);

// Unpacks one build. Errors: no kernel among the files (e.g. only the
// metadata package of split packaging), a file that cannot be read or
// decoded (named, with its member).
absl::StatusOr<extract::KernelArtifacts> UnpackBuild(const BuildPlan& plan, const UnpackOptions& options);

// PlanBuilds, then UnpackBuild for each build in order; the first error wins.
absl::StatusOr<std::vector<extract::KernelArtifacts>> UnpackInputs(const std::vector<std::filesystem::path>& inputs,
                                                                   const UnpackOptions& options);

}  // namespace kfuncdb::unpack
