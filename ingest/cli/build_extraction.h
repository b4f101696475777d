// One build's extraction as a task for the pool: unpack the plan's files
// (kfuncdb_unpack), extract the BuildRecord (kfuncdb_extract), and apply
// the command line's lineage. Pure CPU and memory, no database.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "ingest/cli/extraction_pool.h"
#include "ingest/extract/extract_options.h"
#include "ingest/unpack/unpack.h"
#include "proto/kfuncdb/v1/build_record.pb.h"

namespace kfuncdb::ingest_cli {

struct BuildOptions {
  // Its release_override / arch_override (--release, --arch) apply only to
  // builds whose release the unpacker could not tell from the files (raw
  // BTF, BTFHub archives, a kernel without a banner): a package or image
  // that names its release keeps it, and its arch.
  extract::ExtractOptions extract;
  unpack::UnpackOptions unpack;
  // --lineage: the lineage every build is filed under; empty: derived by
  // the writer from each build's identity.
  std::string lineage;
};

absl::StatusOr<kfuncdb::v1::BuildRecord> ExtractPlannedBuild(const unpack::BuildPlan& plan,
                                                             const BuildOptions& options);

// A task running ExtractPlannedBuild; `options` is copied into it.
ExtractionTask MakeExtractionTask(unpack::BuildPlan plan, const BuildOptions& options);

}  // namespace kfuncdb::ingest_cli
