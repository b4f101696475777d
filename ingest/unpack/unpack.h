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
//     their vermagic names the build's release; all are counted, and
//     those left out are named in KernelArtifacts::diagnostics.
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

// ClassifyInput for a file the user named: one that holds nothing to
// unpack (unknown format, a compressed file of unknown content) is an
// InvalidArgument error naming it.
absl::StatusOr<InputFile> ClassifyNamedInput(const std::filesystem::path& path, const UnpackOptions& options);

// A file found inside a folder that could not be classified (unreadable,
// a corrupt .ko.xz): left out of the plan, never silently.
struct RejectedFile {
  std::filesystem::path path;
  std::string reason;  // ClassifyInput's error message; names the file
};

// What walking one folder found.
struct FolderFiles {
  std::vector<InputFile> files;  // usable files, sorted by path
  std::vector<RejectedFile> rejected;
};

// Lists the plain files under `dir` (recursively) and classifies each.
// Files of unknown format are skipped (a folder holds changelogs, configs);
// files that fail to classify are rejected with the reason and the walk
// goes on. Errors: only a folder that cannot be listed.
absl::StatusOr<FolderFiles> ClassifyFolder(const std::filesystem::path& dir, const UnpackOptions& options);

struct PlannedBuilds {
  std::vector<BuildPlan> builds;
  // Files inside named folders that were left out (see ClassifyFolder).
  std::vector<RejectedFile> rejected;
};

// ClassifyFolder for folders, ClassifyNamedInput for files, then
// GroupIntoBuilds. A bad file inside a folder only lands in `rejected`;
// a named file that fails, or a folder that cannot be listed, fails the
// whole call with an error naming it.
absl::StatusOr<PlannedBuilds> PlanBuilds(const std::vector<std::filesystem::path>& inputs,
                                         const UnpackOptions& options);

// Groups classified files into builds by release, keeping their order
// (what PlanBuilds does after classifying; for callers that classified
// files themselves, e.g. one at a time to report each failure).
std::vector<BuildPlan> GroupIntoBuilds(std::vector<InputFile> files);

// Unpacks one build. Errors: no kernel among the files (e.g. only the
// metadata package of split packaging), a file that cannot be read or
// decoded (named, with its member).
absl::StatusOr<extract::KernelArtifacts> UnpackBuild(const BuildPlan& plan, const UnpackOptions& options);

// PlanBuilds, then UnpackBuild for each build in order; the first error
// wins. Strict: a file rejected inside a folder is an error here too
// (callers that want to go on past bad files use PlanBuilds).
absl::StatusOr<std::vector<extract::KernelArtifacts>> UnpackInputs(const std::vector<std::filesystem::path>& inputs,
                                                                   const UnpackOptions& options);

}  // namespace kfuncdb::unpack
