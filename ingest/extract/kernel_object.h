// KernelObject: what extraction reads from one BTF-carrying object of a
// build (the vmlinux in any of its forms, or one module): its parsed BTF,
// its btf_id_set8 sets and how they were found, and its function decl tags.
//
// Readers fail with statuses naming the origin and what is wrong ("nf_nat.ko:
// no .BTF section", "vmlinux: .BTF_ids: set8 ... needs 808 bytes ..."). A
// KernelObject owns its BTF; a module's split BTF refers to the vmlinux
// object's BTF, which must outlive it. Not thread-safe to share while moving.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/extract/btf_handle.h"
#include "ingest/extract/btf_id_sets.h"
#include "ingest/extract/elf_image.h"
#include "ingest/extract/kfunc_decl_tags.h"
#include "proto/kfuncdb/v1/build_record.pb.h"

namespace kfuncdb::extract {

struct KernelObject {
  std::string origin;
  BtfPtr btf;
  // nullopt when the object has no .BTF_ids (raw BTF): flags are unknown.
  std::optional<std::vector<BtfIdSet8>> sets;
  // KFUNC_SOURCE_SET_SYMBOL or KFUNC_SOURCE_SET_SCAN for `sets`.
  kfuncdb::v1::KfuncSource set_source = kfuncdb::v1::KFUNC_SOURCE_UNSPECIFIED;
  FuncDeclTags decl_tags;
};

// A vmlinux ELF: .BTF (required), .BTF_ids by symbols, else by scan.
absl::StatusOr<KernelObject> ReadVmlinuxElf(const ElfImage& elf);

// /sys/kernel/btf/vmlinux bytes: BTF only, no sets.
absl::StatusOr<KernelObject> ReadRawBtf(std::string_view bytes, std::string origin);

// .BTF and .BTF_ids cut out of a non-ELF image (arm64 Image): sets by scan;
// an empty `btf_ids` means no sets.
absl::StatusOr<KernelObject> ReadImageSections(std::string_view btf_bytes, std::string_view btf_ids,
                                               std::string origin);

// A module ELF: split .BTF over `base` (required), its own .BTF_ids.
absl::StatusOr<KernelObject> ReadModuleElf(const ElfImage& elf, const btf& base);

}  // namespace kfuncdb::extract
