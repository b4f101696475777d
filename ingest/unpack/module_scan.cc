#include "ingest/unpack/module_scan.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/unpack/codec.h"
#include "ingest/unpack/content_kind.h"
#include "ingest/unpack/elf_probe.h"

namespace kfuncdb::unpack {

absl::StatusOr<ScannedModule> ScanModule(std::string origin, std::string bytes, const DecompressLimits& limits) {
  if (std::optional<Codec> codec = DetectCodec(bytes)) {
    KFUNCDB_ASSIGN_OR_RETURN(bytes, Decompress(*codec, bytes, limits));
  }
  if (ClassifyContent(std::string_view(bytes).substr(0, kClassifyHeadSize)) != ContentKind::kElfModule) {
    return absl::InvalidArgumentError("not a kernel module (no ELF relocatable object inside)");
  }
  KFUNCDB_ASSIGN_OR_RETURN(ElfFacts facts, ProbeElf(bytes));
  ScannedModule module;
  module.name = std::move(facts.module_name);
  module.vermagic_release = std::move(facts.vermagic_release);
  if (facts.has_btf_ids) module.kept = extract::ModuleBytes{std::move(origin), std::move(bytes)};
  return module;
}

}  // namespace kfuncdb::unpack
