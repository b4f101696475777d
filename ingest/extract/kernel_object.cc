#include "ingest/extract/kernel_object.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace kfuncdb::extract {
namespace {

WordOrder BtfWordOrder(std::string_view btf_bytes) {
  // The BTF magic 0xeB9F reads 9f eb in little-endian files.
  return !btf_bytes.empty() && static_cast<unsigned char>(btf_bytes[0]) == 0xeb
             ? WordOrder::kBigEndian
             : WordOrder::kLittleEndian;
}

std::vector<BtfIdSet8> Scan(std::string_view btf_ids, WordOrder order, const btf& handle) {
  return ScanSet8s(btf_ids, order, [&](BtfTypeId id) { return FuncById(handle, id) != nullptr; });
}

// .BTF and .BTF_ids of an ELF (vmlinux or module), with `base` for split BTF.
absl::StatusOr<KernelObject> ReadElf(const ElfImage& elf, const btf* base) {
  KernelObject object;
  object.origin = elf.origin();
  std::optional<ElfImage::Section> btf_section = elf.FindSection(".BTF");
  if (!btf_section) {
    return absl::InvalidArgumentError(absl::StrCat(elf.origin(), ": no .BTF section"));
  }
  std::string btf_origin = absl::StrCat(elf.origin(), ": .BTF");
  if (base == nullptr) {
    KFUNCDB_ASSIGN_OR_RETURN(object.btf, ParseBtf(btf_section->bytes, btf_origin));
  } else {
    KFUNCDB_ASSIGN_OR_RETURN(object.btf, ParseSplitBtf(btf_section->bytes, *base, btf_origin));
  }
  object.decl_tags = CollectFuncDeclTags(*object.btf);

  std::optional<ElfImage::Section> btf_ids = elf.FindSection(".BTF_ids");
  if (!btf_ids) return object;
  WordOrder order = elf.big_endian() ? WordOrder::kBigEndian : WordOrder::kLittleEndian;
  KFUNCDB_ASSIGN_OR_RETURN(std::vector<Set8Symbol> headers, FindSet8Symbols(elf, *btf_ids));
  if (!headers.empty()) {
    KFUNCDB_ASSIGN_OR_RETURN(object.sets, ReadSet8s(btf_ids->bytes, headers, order, elf.origin()));
    object.set_source = kfuncdb::v1::KFUNC_SOURCE_SET_SYMBOL;
  } else {
    object.sets = Scan(btf_ids->bytes, order, *object.btf);
    object.set_source = kfuncdb::v1::KFUNC_SOURCE_SET_SCAN;
  }
  return object;
}

}  // namespace

absl::StatusOr<KernelObject> ReadVmlinuxElf(const ElfImage& elf) { return ReadElf(elf, nullptr); }

absl::StatusOr<KernelObject> ReadModuleElf(const ElfImage& elf, const btf& base) {
  return ReadElf(elf, &base);
}

absl::StatusOr<KernelObject> ReadRawBtf(std::string_view bytes, std::string origin) {
  KernelObject object;
  object.origin = std::move(origin);
  KFUNCDB_ASSIGN_OR_RETURN(object.btf, ParseBtf(bytes, object.origin));
  object.decl_tags = CollectFuncDeclTags(*object.btf);
  return object;
}

absl::StatusOr<KernelObject> ReadImageSections(std::string_view btf_bytes, std::string_view btf_ids,
                                               std::string origin) {
  KFUNCDB_ASSIGN_OR_RETURN(KernelObject object, ReadRawBtf(btf_bytes, std::move(origin)));
  if (!btf_ids.empty()) {
    object.sets = Scan(btf_ids, BtfWordOrder(btf_bytes), *object.btf);
    object.set_source = kfuncdb::v1::KFUNC_SOURCE_SET_SCAN;
  }
  return object;
}

}  // namespace kfuncdb::extract
