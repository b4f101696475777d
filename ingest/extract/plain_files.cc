#include "ingest/extract/plain_files.h"

#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "ingest/extract/btf_handle.h"
#include "ingest/extract/elf_image.h"

namespace kfuncdb::extract {
namespace {

absl::StatusOr<std::string> ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return absl::NotFoundError(absl::StrCat(path.string(), ": cannot open"));
  std::streamoff size = in.tellg();
  if (size < 0) return absl::DataLossError(absl::StrCat(path.string(), ": cannot tell its size"));
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) {
    return absl::DataLossError(absl::StrCat(path.string(), ": read error"));
  }
  return bytes;
}

// Whether a module may carry kfuncs: anything but a readable ELF without .BTF_ids.
bool MayCarryKfuncs(const std::string& bytes, const std::string& origin) {
  absl::StatusOr<ElfImage> elf = ElfImage::Open(bytes, origin);
  return !elf.ok() || elf->FindSection(".BTF_ids").has_value();
}

}  // namespace

absl::StatusOr<KernelArtifacts> ArtifactsFromPlainFiles(
    const std::filesystem::path& kernel_path,
    const std::vector<std::filesystem::path>& module_paths) {
  KernelArtifacts artifacts;
  Sha256 content;
  artifacts.kernel_origin = kernel_path.string();
  artifacts.inputs.push_back(kernel_path.string());
  KFUNCDB_ASSIGN_OR_RETURN(artifacts.kernel_bytes, ReadWholeFile(kernel_path));
  content.Update(artifacts.kernel_bytes);
  if (HasElfMagic(artifacts.kernel_bytes)) {
    artifacts.form = KernelForm::kElfVmlinux;
  } else if (HasBtfMagic(artifacts.kernel_bytes)) {
    artifacts.form = KernelForm::kRawBtf;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        kernel_path.string(), ": not a kernel: neither an ELF vmlinux nor raw BTF (no magic)"));
  }
  for (const std::filesystem::path& path : module_paths) {
    KFUNCDB_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path));
    content.Update(bytes);
    artifacts.inputs.push_back(path.string());
    ++artifacts.modules_scanned;
    if (MayCarryKfuncs(bytes, path.string())) {
      artifacts.modules.push_back({path.string(), std::move(bytes)});
    }
  }
  KFUNCDB_ASSIGN_OR_RETURN(artifacts.content_sha256, content.HexDigest());
  return artifacts;
}

}  // namespace kfuncdb::extract
