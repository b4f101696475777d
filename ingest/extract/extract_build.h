// ExtractBuild: one kernel build (KernelArtifacts, already unpacked and
// decompressed) -> its BuildRecord: identity, every kfunc with set, owner,
// flags, decoded flag names, prototype, signature hash and decl tags, the
// modules that carry kfuncs, and diagnostics. No database, no file I/O:
// safe to run concurrently on different artifacts.
//
// What is fatal (an error status naming the input and the problem): flag
// positions that are not two different bits in 0..31 (InvalidArgument), a
// kernel that cannot be read (not ELF, no .BTF, BTF libbpf rejects, a
// .BTF_ids set whose count runs past the section, malformed BTF under a
// kfunc), and an unknown kernel release (raw BTF without --release).
// What is a Diagnostic and skips only that part: a module whose ELF or BTF
// is unreadable or that has no .BTF, a module whose vermagic names another
// release, non-kfunc sets, tags and sets that disagree. What the unpacker
// left out (KernelArtifacts::diagnostics) comes first, copied as is.
//
// Which sets are kfunc sets: kernels since about 6.9 mark kfunc sets with
// BTF_SET8_KFUNCS (header bit 0). A build "uses the mark" when any set of
// its vmlinux or modules has bit 0 set; in such a build, sets without it
// (bpf_mptcp_fmodret_ids) are left out. Older builds set no header flags
// and every set8 is a kfunc set.
#pragma once

#include "absl/status/statusor.h"
#include "ingest/extract/extract_options.h"
#include "ingest/extract/kernel_artifacts.h"
#include "proto/kfuncdb/v1/build_record.pb.h"

namespace kfuncdb::extract {

absl::StatusOr<kfuncdb::v1::BuildRecord> ExtractBuild(const KernelArtifacts& artifacts,
                                                      const ExtractOptions& options);

}  // namespace kfuncdb::extract
