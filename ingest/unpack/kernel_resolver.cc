#include "ingest/unpack/kernel_resolver.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/unpack/archive_reader.h"
#include "ingest/unpack/arm64_image.h"
#include "ingest/unpack/bzimage.h"
#include "ingest/unpack/codec.h"
#include "ingest/unpack/content_kind.h"
#include "ingest/unpack/elf_probe.h"

namespace kfuncdb::unpack {
namespace {

using extract::KernelForm;

// Containers nest at most this deep (xz -> tar -> BTF is 2).
constexpr int kMaxDepth = 4;

absl::StatusOr<ResolvedKernel> FromElf(std::string bytes) {
  KFUNCDB_ASSIGN_OR_RETURN(ElfFacts facts, ProbeElf(bytes));
  if (!facts.has_btf) {
    return absl::InvalidArgumentError("ELF vmlinux has no .BTF section (kernel built without CONFIG_DEBUG_INFO_BTF?)");
  }
  ResolvedKernel kernel;
  kernel.form = KernelForm::kElfVmlinux;
  kernel.arch_hint = std::string(DebianArchForMachine(facts.machine));
  kernel.kernel_bytes = std::move(bytes);
  return kernel;
}

absl::StatusOr<ResolvedKernel> FromArm64Image(std::string_view bytes) {
  KFUNCDB_ASSIGN_OR_RETURN(Arm64ImageSections sections, CutArm64ImageSections(bytes));
  ResolvedKernel kernel;
  kernel.form = KernelForm::kImageSections;
  kernel.btf_section = std::move(sections.btf);
  kernel.btf_ids_section = std::move(sections.btf_ids);
  kernel.release_hint = std::move(sections.release);
  kernel.arch_hint = "arm64";
  return kernel;
}

absl::StatusOr<ResolvedKernel> Resolve(std::string bytes, const DecompressLimits& limits, int depth);

// The first regular member of a tar that resolves to a kernel.
absl::StatusOr<ResolvedKernel> FromTar(const std::string& bytes, const DecompressLimits& limits, int depth) {
  KFUNCDB_ASSIGN_OR_RETURN(ArchivePtr tar, OpenTarInMemory(bytes));
  archive_entry* entry = nullptr;
  absl::Status last = absl::NotFoundError("tar archive holds no kernel, BTF or image");
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool more, NextEntry(tar.get(), &entry));
    if (!more) break;
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string member = EntryPath(entry);
    absl::StatusOr<std::string> data = ReadEntryData(tar.get(), entry, limits.max_output);
    if (!data.ok()) return absl::Status(data.status().code(), absl::StrCat(member, ": ", data.status().message()));
    absl::StatusOr<ResolvedKernel> kernel = Resolve(*std::move(data), limits, depth + 1);
    if (kernel.ok()) {
      kernel->how = absl::StrCat("tar member ", member, kernel->how.empty() ? "" : ", ", kernel->how);
      return kernel;
    }
    last = absl::Status(kernel.status().code(), absl::StrCat(member, ": ", kernel.status().message()));
  }
  return last;
}

absl::StatusOr<ResolvedKernel> Resolve(std::string bytes, const DecompressLimits& limits, int depth) {
  if (depth > kMaxDepth) return absl::InvalidArgumentError("containers nested too deep");
  ContentKind kind = ClassifyContent(std::string_view(bytes).substr(0, kClassifyHeadSize));
  switch (kind) {
    case ContentKind::kElfKernel:
      return FromElf(std::move(bytes));
    case ContentKind::kRawBtf: {
      ResolvedKernel kernel;
      kernel.form = KernelForm::kRawBtf;
      kernel.kernel_bytes = std::move(bytes);
      kernel.how = "raw BTF";
      return kernel;
    }
    case ContentKind::kArm64Image: {
      absl::StatusOr<ResolvedKernel> kernel = FromArm64Image(bytes);
      if (kernel.ok()) kernel->how = "arm64 Image";
      return kernel;
    }
    case ContentKind::kBzImage: {
      KFUNCDB_ASSIGN_OR_RETURN(BzImageContents image, UnpackBzImage(bytes, limits));
      KFUNCDB_ASSIGN_OR_RETURN(ResolvedKernel kernel, FromElf(std::move(image.vmlinux)));
      kernel.release_hint = image.release;
      kernel.how = absl::StrCat("bzImage, ", CodecName(image.codec), " payload",
                                image.found_by_scan ? " found by scan" : "");
      return kernel;
    }
    case ContentKind::kCompressed: {
      Codec codec = *DetectCodec(bytes);
      KFUNCDB_ASSIGN_OR_RETURN(std::string inner, Decompress(codec, bytes, limits));
      bytes.clear();
      bytes.shrink_to_fit();
      KFUNCDB_ASSIGN_OR_RETURN(ResolvedKernel kernel, Resolve(std::move(inner), limits, depth + 1));
      kernel.how = absl::StrCat(CodecName(codec), kernel.how.empty() ? "" : ", ", kernel.how);
      return kernel;
    }
    case ContentKind::kTar:
      return FromTar(bytes, limits, depth);
    case ContentKind::kElfModule:
      return absl::InvalidArgumentError("is a kernel module (ELF ET_REL), not a kernel");
    case ContentKind::kDebianPackage:
      return absl::InvalidArgumentError("is a Debian package nested where a kernel was expected");
    case ContentKind::kUnknown:
      break;
  }
  return absl::InvalidArgumentError(
      "unrecognised format: not a Debian package, bzImage, arm64 Image, ELF, raw BTF, tar or a known compressed stream");
}

}  // namespace

absl::StatusOr<ResolvedKernel> ResolveKernel(std::string bytes, const DecompressLimits& limits) {
  return Resolve(std::move(bytes), limits, 0);
}

}  // namespace kfuncdb::unpack
