// PlanInputs: what the user named on the command line (or what landed in a
// watched folder) -> the builds to extract, with each bad input isolated.
//
// kfuncdb_unpack's PlanBuilds groups files of one kernel release into one
// build (Debian 7.x split packages given together, an unpacked package
// root), but fails as a whole on the first bad file. Here every named file
// is classified on its own first, so one unreadable or foreign file fails
// alone (named, with the reason) and the rest are still planned together.
//
// Thread-safe (no shared state).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ingest/cli/ingest_session.h"
#include "ingest/unpack/unpack.h"

namespace kfuncdb::ingest_cli {

struct PlannedInputs {
  std::vector<unpack::BuildPlan> builds;
  std::vector<InputFailure> failures;
  // Named folders in which no kernel build was found.
  std::vector<std::string> skipped;
};

PlannedInputs PlanInputs(const std::vector<std::filesystem::path>& inputs,
                         const unpack::UnpackOptions& options);

// The files of a plan, comma-separated: how progress and failures name it.
std::string PlanLabel(const unpack::BuildPlan& plan);

}  // namespace kfuncdb::ingest_cli
