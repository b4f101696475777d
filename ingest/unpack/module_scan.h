// Reads one kernel module (.ko, or .ko.xz / .ko.zst / .ko.gz, recognised by
// content) and decides whether it is worth keeping: only modules with a
// .BTF_ids section can define kfunc sets, so the others are counted and
// dropped right away, which bounds memory to a handful of modules per
// build. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "ingest/extract/kernel_artifacts.h"
#include "ingest/unpack/decompress.h"

namespace kfuncdb::unpack {

struct ScannedModule {
  std::string name;              // .modinfo name=, "" if absent
  std::string vermagic_release;  // first word of .modinfo vermagic=
  // Set only when the module has .BTF_ids: its decompressed ELF.
  std::optional<extract::ModuleBytes> kept;
};

// `origin` names the module in messages and in ModuleBytes::origin.
// Errors: not an ELF relocatable object (after decompression), corrupt
// compression, malformed ELF.
absl::StatusOr<ScannedModule> ScanModule(std::string origin, std::string bytes, const DecompressLimits& limits);

}  // namespace kfuncdb::unpack
