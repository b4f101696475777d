#include "ingest/cli/build_extraction.h"

#include <memory>

#include "common/status_macros.h"
#include "ingest/cli/input_plan.h"
#include "ingest/extract/extract_build.h"

namespace kfuncdb::ingest_cli {

absl::StatusOr<kfuncdb::v1::BuildRecord> ExtractPlannedBuild(const unpack::BuildPlan& plan,
                                                             const BuildOptions& options) {
  KFUNCDB_ASSIGN_OR_RETURN(extract::KernelArtifacts artifacts,
                           unpack::UnpackBuild(plan, options.unpack));
  // --release / --arch fill in what an input cannot tell (raw BTF); in a
  // batch that mixes such inputs with packages, the packages keep their own.
  extract::ExtractOptions extract_options = options.extract;
  if (!plan.release.empty()) {
    extract_options.release_override.clear();
    extract_options.arch_override.clear();
  }
  KFUNCDB_ASSIGN_OR_RETURN(kfuncdb::v1::BuildRecord record,
                           extract::ExtractBuild(artifacts, extract_options));
  if (!options.lineage.empty()) record.set_lineage(options.lineage);
  return record;
}

ExtractionTask MakeExtractionTask(unpack::BuildPlan plan, const BuildOptions& options) {
  ExtractionTask task;
  task.label = PlanLabel(plan);
  for (const unpack::InputFile& file : plan.files) task.files.push_back(file.path);
  // shared_ptr: std::function needs a copyable callable.
  auto shared_plan = std::make_shared<const unpack::BuildPlan>(std::move(plan));
  task.run = [shared_plan, options] { return ExtractPlannedBuild(*shared_plan, options); };
  return task;
}

}  // namespace kfuncdb::ingest_cli
