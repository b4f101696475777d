// RunInspect: `kfuncdb-ingest inspect`, extraction without a database.
#include <cstdio>
#include <iostream>

#include "absl/strings/str_format.h"
#include "ingest/cli/commands.h"
#include "ingest/cli/input_plan.h"
#include "ingest/cli/record_json.h"
#include "ingest/cli/record_table.h"

namespace kfuncdb::ingest_cli {

int RunInspect(const std::vector<std::filesystem::path>& inputs, const BuildOptions& build,
               bool json) {
  PlannedInputs planned = PlanInputs(inputs, build.unpack);
  std::vector<InputFailure> failures = std::move(planned.failures);
  for (const std::string& folder : planned.skipped) {
    failures.push_back({folder, "no kernel build found"});
  }
  std::vector<kfuncdb::v1::BuildRecord> records;
  for (const unpack::BuildPlan& plan : planned.builds) {
    absl::StatusOr<kfuncdb::v1::BuildRecord> record = ExtractPlannedBuild(plan, build);
    if (record.ok()) {
      records.push_back(std::move(*record));
    } else {
      failures.push_back({PlanLabel(plan), std::string(record.status().message())});
    }
  }
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& record : records) out.push_back(BuildRecordToJson(record));
    if (out.size() == 1) out = out[0];
    if (!records.empty()) std::cout << out.dump(2) << "\n";
  } else {
    for (size_t i = 0; i < records.size(); ++i) {
      if (i > 0) std::cout << "\n";
      PrintBuildRecordTable(records[i], std::cout);
    }
  }
  std::cout.flush();
  for (const InputFailure& failure : failures) {
    absl::FPrintF(stderr, "kfuncdb-ingest: %s: %s\n", failure.input, failure.reason);
  }
  return failures.empty() ? kExitOk : kExitInputFailed;
}

}  // namespace kfuncdb::ingest_cli
