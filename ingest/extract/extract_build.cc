#include "ingest/extract/extract_build.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/extract/diagnostics.h"
#include "ingest/extract/btf_arch.h"
#include "ingest/extract/build_identity.h"
#include "ingest/extract/elf_image.h"
#include "ingest/extract/kernel_object.h"
#include "ingest/extract/kfunc_collector.h"
#include "ingest/extract/linux_banner.h"
#include "ingest/extract/modinfo.h"

namespace kfuncdb::extract {
namespace {

// The vmlinux in whichever form the unpacker found it, with what the form
// tells about identity.
struct Vmlinux {
  KernelObject object;
  std::optional<LinuxBanner> banner;
  std::string elf_arch;
};

absl::StatusOr<Vmlinux> ReadVmlinux(const KernelArtifacts& artifacts) {
  const std::string& origin = artifacts.kernel_origin;
  Vmlinux vmlinux;
  switch (artifacts.form) {
    case KernelForm::kElfVmlinux: {
      KFUNCDB_ASSIGN_OR_RETURN(ElfImage elf, ElfImage::Open(artifacts.kernel_bytes, origin));
      KFUNCDB_ASSIGN_OR_RETURN(vmlinux.object, ReadVmlinuxElf(elf));
      vmlinux.banner = FindLinuxBanner(elf, artifacts.kernel_bytes);
      vmlinux.elf_arch = elf.ArchName();
      return vmlinux;
    }
    case KernelForm::kRawBtf: {
      KFUNCDB_ASSIGN_OR_RETURN(vmlinux.object, ReadRawBtf(artifacts.kernel_bytes, origin));
      return vmlinux;
    }
    case KernelForm::kImageSections: {
      KFUNCDB_ASSIGN_OR_RETURN(vmlinux.object,
                               ReadImageSections(artifacts.btf_section, artifacts.btf_ids_section,
                                                 origin));
      return vmlinux;
    }
  }
  return absl::InternalError(absl::StrCat(origin, ": unknown kernel form"));
}

struct Module {
  KernelObject object;
  kfuncdb::v1::ModuleRecord record;
};

// Reads one module, or explains in a diagnostic why it is skipped.
std::optional<Module> ReadModule(const ModuleBytes& bytes, const btf& base,
                                 const std::string& kernel_release,
                                 kfuncdb::v1::BuildRecord* record) {
  absl::StatusOr<ElfImage> elf = ElfImage::Open(bytes.bytes, bytes.origin);
  if (!elf.ok()) {
    AddDiagnostic(record, bytes.origin, absl::StrCat("module skipped: ", elf.status().message()));
    return std::nullopt;
  }
  std::optional<ElfImage::Section> modinfo_section = elf->FindSection(".modinfo");
  ModInfo modinfo = ParseModInfo(modinfo_section ? modinfo_section->bytes : std::string_view());
  if (modinfo.name.empty()) {
    AddDiagnostic(record, bytes.origin, "module skipped: no name= in .modinfo");
    return std::nullopt;
  }
  if (modinfo.vermagic_release != kernel_release) {
    AddDiagnostic(record, bytes.origin,
             absl::StrCat("module skipped: vermagic release \"", modinfo.vermagic_release,
                          "\" is not the kernel's \"", kernel_release, "\""));
    return std::nullopt;
  }
  absl::StatusOr<KernelObject> object = ReadModuleElf(*elf, base);
  if (!object.ok()) {
    AddDiagnostic(record, bytes.origin, absl::StrCat("module skipped: ", object.status().message()));
    return std::nullopt;
  }
  Module module{*std::move(object), {}};
  module.record.set_name(modinfo.name);
  module.record.set_path(bytes.origin);
  module.record.set_vermagic_release(modinfo.vermagic_release);
  return module;
}

}  // namespace

absl::StatusOr<kfuncdb::v1::BuildRecord> ExtractBuild(const KernelArtifacts& artifacts,
                                                      const ExtractOptions& options) {
  const KfuncFlagPositions& positions = options.flag_positions;
  if (positions.stable_bit < 0 || positions.stable_bit > 31 || positions.deprecated_bit < 0 ||
      positions.deprecated_bit > 31 || positions.stable_bit == positions.deprecated_bit) {
    return absl::InvalidArgumentError(absl::StrCat(
        "KF_STABLE and KF_DEPRECATED need two different bits in 0..31, not ",
        positions.stable_bit, " and ", positions.deprecated_bit));
  }
  kfuncdb::v1::BuildRecord record;
  KFUNCDB_ASSIGN_OR_RETURN(Vmlinux vmlinux, ReadVmlinux(artifacts));
  KFUNCDB_RETURN_IF_ERROR(
      FillBuildIdentity(artifacts, vmlinux.banner, vmlinux.elf_arch,
                        ArchFromBtf(*vmlinux.object.btf), options, &record));
  record.set_content_sha256(artifacts.content_sha256);
  for (const std::string& input : artifacts.inputs) record.add_inputs(input);
  record.set_modules_scanned(artifacts.modules_scanned);
  for (const UnpackDiagnostic& diagnostic : artifacts.diagnostics) {
    AddDiagnostic(&record, diagnostic.origin, diagnostic.message);
  }

  std::vector<Module> modules;
  modules.reserve(artifacts.modules.size());
  for (const ModuleBytes& bytes : artifacts.modules) {
    if (std::optional<Module> module =
            ReadModule(bytes, *vmlinux.object.btf, record.kernel_release(), &record)) {
      modules.push_back(*std::move(module));
    }
  }

  KfuncDecoding decoding;
  KFUNCDB_ASSIGN_OR_RETURN(decoding.release, KernelVersion::Parse(record.release()));
  decoding.positions = options.flag_positions;
  decoding.kernel_marks_kfunc_sets = MarksKfuncSets(vmlinux.object);
  for (const Module& module : modules) {
    decoding.kernel_marks_kfunc_sets = decoding.kernel_marks_kfunc_sets || MarksKfuncSets(module.object);
  }

  KFUNCDB_ASSIGN_OR_RETURN(CollectResult kernel,
                           CollectKfuncs(vmlinux.object, "vmlinux", decoding, &record));
  bool flags_known = kernel.flags_known;
  for (Module& module : modules) {
    int kfuncs_before = record.kfuncs_size();
    absl::StatusOr<CollectResult> collected =
        CollectKfuncs(module.object, module.record.name(), decoding, &record);
    if (!collected.ok()) {
      // Records added before the failure stay out of the build.
      record.mutable_kfuncs()->DeleteSubrange(kfuncs_before, record.kfuncs_size() - kfuncs_before);
      AddDiagnostic(&record, module.object.origin,
               absl::StrCat("module skipped: ", collected.status().message()));
      continue;
    }
    if (!module.object.sets && module.object.decl_tags.kfuncs.empty()) continue;
    module.record.set_kfunc_count(static_cast<uint32_t>(collected->kfunc_records));
    if (collected->kfunc_records > 0) flags_known = flags_known && collected->flags_known;
    *record.add_modules() = std::move(module.record);
  }
  record.set_flags_known(flags_known);
  return record;
}

}  // namespace kfuncdb::extract
