// KernelArtifacts: the hand-off between the unpack layer (packages, images,
// compressed streams, folders: ingest/unpack/) and extraction (BTF and ELF ->
// BuildRecord: ingest/extract/). One KernelArtifacts is one kernel build:
// its kernel in one of three forms plus the modules that belong to it, all
// already decompressed. Extraction never opens files or archives itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kfuncdb::extract {

enum class KernelForm {
  // An ELF vmlinux (with or without .symtab): kernel_bytes is the whole ELF.
  kElfVmlinux,
  // Raw BTF as in /sys/kernel/btf/vmlinux: kernel_bytes is the BTF blob.
  kRawBtf,
  // Sections cut out of a non-ELF image (arm64 Image): btf_section and
  // btf_ids_section hold the bytes; kernel_bytes is empty.
  kImageSections,
};

// A module's ELF bytes (decompressed from .ko.xz/.ko.zst when needed).
struct ModuleBytes {
  std::string origin;  // "pkg.deb:lib/modules/6.1.0-56-cloud-amd64/.../nf_nat.ko"
  std::string bytes;
};

// What a package told about the build (empty strings when not a package).
struct PackageInfo {
  std::string name;             // "linux-image-6.1.0-56-cloud-amd64"
  std::string version;          // "6.1.192-2"
  std::string architecture;     // Debian arch: "amd64", "arm64"
  std::string distribution;     // "debian"
  std::string kernel_release;   // from the package name or file paths
};

// Something the unpacker left out of the build, so that nothing is dropped
// silently: a module whose vermagic names another release, a module seen
// twice, a kernel passed over for a more complete one. Extraction copies
// these into BuildRecord.diagnostics.
struct UnpackDiagnostic {
  std::string origin;   // file or "package:member" the message is about
  std::string message;
};

struct KernelArtifacts {
  // Files the build came from, as the user named them, in order.
  std::vector<std::string> inputs;
  // SHA-256 (lower-case hex) over the input files' bytes in input order.
  std::string content_sha256;

  KernelForm form = KernelForm::kElfVmlinux;
  // Where the kernel bytes came from ("pkg.deb:boot/vmlinuz-... (zstd payload)").
  std::string kernel_origin;
  std::string kernel_bytes;
  std::string btf_section;      // kImageSections only
  std::string btf_ids_section;  // kImageSections only (may be empty)
  // Release string found outside the kernel bytes (bzImage setup header,
  // banner in an Image); empty when unknown. Extraction prefers the
  // linux_banner inside an ELF when it has one.
  std::string release_hint;
  // Architecture found by the unpacker (ELF e_machine, Image header): "amd64", "arm64".
  std::string arch_hint;

  // Modules that may carry kfuncs (those with a .BTF_ids section).
  std::vector<ModuleBytes> modules;
  // All modules seen, including those without .BTF_ids.
  uint32_t modules_scanned = 0;

  PackageInfo package;

  std::vector<UnpackDiagnostic> diagnostics;
};

}  // namespace kfuncdb::extract
