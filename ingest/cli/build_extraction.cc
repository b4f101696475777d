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
  KFUNCDB_ASSIGN_OR_RETURN(kfuncdb::v1::BuildRecord record,
                           extract::ExtractBuild(artifacts, options.extract));
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
