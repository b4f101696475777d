#include "ingest/extract/kfunc_collector.h"

#include <bpf/btf.h>

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest/extract/diagnostics.h"
#include "ingest/extract/prototype_renderer.h"

namespace kfuncdb::extract {
namespace {

constexpr uint32_t kBtfSet8Kfuncs = 1u << 0;

std::string SetLabel(const BtfIdSet8& set) {
  return set.name ? absl::StrCat("set8 ", *set.name)
                  : absl::StrCat("set8 at .BTF_ids offset 0x", absl::Hex(set.offset));
}

// Name of a FUNC already checked with FuncById.
std::string FuncName(const btf& handle, BtfTypeId id) {
  const char* name = btf__name_by_offset(&handle, btf__type_by_id(&handle, id.value())->name_off);
  return name != nullptr ? name : "";
}

// Builds records for one object, rendering each FUNC's prototype once.
class Collector {
 public:
  Collector(const KernelObject& object, const std::string& owner, const KfuncDecoding& decoding,
            kfuncdb::v1::BuildRecord* record)
      : object_(object), owner_(owner), decoding_(decoding), record_(record) {}

  // Adds a record for FUNC `id`; `set`/`flags` absent for decl-tag kfuncs.
  absl::Status Add(BtfTypeId id, const BtfIdSet8* set, std::optional<uint32_t> flags) {
    const btf& handle = *object_.btf;
    auto rendered = prototypes_.find(id);
    if (rendered == prototypes_.end()) {
      absl::StatusOr<RenderedPrototype> prototype = RenderPrototype(handle, id);
      if (!prototype.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(object_.origin, ": .BTF: ", prototype.status().message()));
      }
      rendered = prototypes_.emplace(id, *std::move(prototype)).first;
    }
    kfuncdb::v1::KfuncRecord* kfunc = record_->add_kfuncs();
    kfunc->set_name(FuncName(handle, id));
    kfunc->set_owner(owner_);
    kfunc->set_btf_id(id.value());
    kfunc->set_prototype(rendered->second.prototype);
    kfunc->set_signature_hash(rendered->second.signature_hash);
    if (auto tags = object_.decl_tags.by_func.find(id); tags != object_.decl_tags.by_func.end()) {
      for (const std::string& tag : tags->second) kfunc->add_decl_tags(tag);
    }
    if (set != nullptr) {
      if (set->name) kfunc->set_set_name(*set->name);
      kfunc->set_set_flags(set->header_flags);
      kfunc->set_source(object_.set_source);
    } else {
      kfunc->set_source(kfuncdb::v1::KFUNC_SOURCE_DECL_TAG);
    }
    if (flags) {
      kfunc->set_flags(*flags);
      for (std::string& flag : DecodeKfuncFlags(*flags, decoding_.release, decoding_.positions)) {
        kfunc->add_flag_names(std::move(flag));
      }
      kfunc->set_stable(HasFlagBit(*flags, decoding_.positions.stable_bit));
      kfunc->set_deprecated(HasFlagBit(*flags, decoding_.positions.deprecated_bit));
    }
    return absl::OkStatus();
  }

 private:
  const KernelObject& object_;
  const std::string& owner_;
  const KfuncDecoding& decoding_;
  kfuncdb::v1::BuildRecord* record_;
  absl::flat_hash_map<BtfTypeId, RenderedPrototype> prototypes_;
};

}  // namespace

bool MarksKfuncSets(const KernelObject& object) {
  if (!object.sets) return false;
  return std::any_of(object.sets->begin(), object.sets->end(),
                     [](const BtfIdSet8& set) { return (set.header_flags & kBtfSet8Kfuncs) != 0; });
}

absl::StatusOr<CollectResult> CollectKfuncs(const KernelObject& object, const std::string& owner,
                                            const KfuncDecoding& decoding,
                                            kfuncdb::v1::BuildRecord* record) {
  Collector collector(object, owner, decoding, record);
  CollectResult result;
  absl::flat_hash_set<BtfTypeId> in_kfunc_sets;
  if (object.sets) {
    for (const BtfIdSet8& set : *object.sets) {
      if (decoding.kernel_marks_kfunc_sets && (set.header_flags & kBtfSet8Kfuncs) == 0) {
        AddDiagnostic(record, object.origin,
                 absl::StrCat(SetLabel(set), " (", set.pairs.size(),
                              " entries) has header flags 0x", absl::Hex(set.header_flags),
                              " without BTF_SET8_KFUNCS in a kernel that marks kfunc sets: "
                              "not a kfunc set, left out"));
        continue;
      }
      for (const BtfIdPair& pair : set.pairs) {
        if (FuncById(*object.btf, pair.id) == nullptr) {
          AddDiagnostic(record, object.origin,
                   absl::StrCat(SetLabel(set), ": entry id ", pair.id.value(),
                                " is not a BTF FUNC; skipped"));
          continue;
        }
        KFUNCDB_RETURN_IF_ERROR(collector.Add(pair.id, &set, pair.flags));
        in_kfunc_sets.insert(pair.id);
        ++result.kfunc_records;
      }
    }
  }
  const std::vector<BtfTypeId>& tagged = object.decl_tags.kfuncs;
  if (result.kfunc_records == 0 && !tagged.empty()) {
    // Raw BTF, or sets that yielded nothing: the tags are all there is.
    if (object.sets) {
      AddDiagnostic(record, object.origin,
               absl::StrCat(".BTF_ids has no kfunc set but ", tagged.size(),
                            " FUNCs carry the bpf_kfunc decl tag; kfuncs taken from the tags, "
                            "flags unknown"));
    }
    for (BtfTypeId id : tagged) {
      KFUNCDB_RETURN_IF_ERROR(collector.Add(id, nullptr, std::nullopt));
      ++result.kfunc_records;
    }
    return result;
  }
  result.flags_known = object.sets.has_value();
  if (tagged.empty()) return result;
  // Cross-check the two records of which FUNCs are kfuncs.
  absl::flat_hash_set<BtfTypeId> tagged_set(tagged.begin(), tagged.end());
  for (BtfTypeId id : tagged) {
    if (!in_kfunc_sets.contains(id)) {
      AddDiagnostic(record, object.origin,
               absl::StrCat("FUNC ", FuncName(*object.btf, id),
                            " has the bpf_kfunc decl tag but is in no kfunc set"));
    }
  }
  std::vector<BtfTypeId> untagged;
  for (BtfTypeId id : in_kfunc_sets) {
    if (!tagged_set.contains(id)) untagged.push_back(id);
  }
  std::sort(untagged.begin(), untagged.end());
  for (BtfTypeId id : untagged) {
    AddDiagnostic(record, object.origin,
             absl::StrCat("kfunc set entry ", FuncName(*object.btf, id),
                          " has no bpf_kfunc decl tag"));
  }
  return result;
}

}  // namespace kfuncdb::extract
