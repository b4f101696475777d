// Turns one KernelObject (vmlinux or a module) into KfuncRecords of a
// BuildRecord, with Diagnostics for what does not add up.
//
// - With sets: every pair of every kfunc set becomes a record (a kfunc in
//   two sets gives two records), flags decoded with the build's release.
//   When the kernel marks kfunc sets with BTF_SET8_KFUNCS (decided over the
//   whole build by the caller), sets with header bit 0 clear are not kfunc
//   sets and are left out, with a diagnostic. Pair ids that are not FUNCs are
//   diagnosed and skipped. If the object also has `bpf_kfunc` decl tags, the
//   two are cross-checked: a tagged FUNC in no kfunc set, and a set entry
//   without the tag, are each reported.
// - Without sets (raw BTF), or when sets yield nothing but decl tags exist:
//   every `bpf_kfunc`-tagged FUNC is a record with flags unknown (absent).
//
// Prototypes are rendered only for the kfuncs. Thread-compatible.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/kernel_version.h"
#include "common/kfunc_flags.h"
#include "ingest/extract/kernel_object.h"
#include "proto/kfuncdb/v1/build_record.pb.h"

namespace kfuncdb::extract {

struct KfuncDecoding {
  KernelVersion release{0, 0};  // base release, for the flag table
  KfuncFlagPositions positions;
  // Whether any set of the build has BTF_SET8_KFUNCS in its header.
  bool kernel_marks_kfunc_sets = false;
};

struct CollectResult {
  int kfunc_records = 0;
  // Whether the records' flags come from sets (false: decl tags only).
  bool flags_known = false;
};

// Appends `object`'s kfuncs (owner `owner`) and diagnostics to `record`.
// Fails only on malformed BTF that prevents rendering a kfunc's prototype.
absl::StatusOr<CollectResult> CollectKfuncs(const KernelObject& object, const std::string& owner,
                                            const KfuncDecoding& decoding,
                                            kfuncdb::v1::BuildRecord* record);

// Whether bit 0 (BTF_SET8_KFUNCS) is set in any of `object`'s set headers.
bool MarksKfuncSets(const KernelObject& object);

}  // namespace kfuncdb::extract
