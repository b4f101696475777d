// PlanInputs: what the user named on the command line (or what landed in a
// watched folder) -> the builds to extract, with each bad input isolated.
//
// Files of one kernel release form one build (Debian 7.x split packages
// given together, an unpacked package root). Every file is classified once,
// on its own (named files by ClassifyNamedInput, folders by
// ClassifyFolder), so one unreadable or foreign file fails alone (named,
// with the reason, also inside a folder) and the rest are still grouped
// together by GroupIntoBuilds.
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
