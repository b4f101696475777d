#include "ingest/cli/ingest_session.h"

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"

namespace kfuncdb::ingest_cli {
namespace {

// Errors about the record itself (missing release, bad lineage name) are the
// input's; anything else from the writer means the database cannot take
// writes right now.
bool IsInputError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ||
         status.code() == absl::StatusCode::kFailedPrecondition;
}

}  // namespace

void IngestSummary::Print(std::FILE* out) const {
  absl::FPrintF(out,
                "builds ingested: %d\nalready present: %d\nkfuncs:          %d\n"
                "skipped:         %d\nfailed:          %d\n",
                builds_ingested, already_present, kfuncs, skipped, failed());
  for (const std::string& input : skipped_inputs) {
    absl::FPrintF(out, "  skipped %s: no kernel build found\n", input);
  }
  for (const InputFailure& failure : failures) {
    // Most reasons already start with the file they are about.
    if (absl::StartsWith(failure.reason, failure.input)) {
      absl::FPrintF(out, "  FAILED %s\n", failure.reason);
    } else {
      absl::FPrintF(out, "  FAILED %s: %s\n", failure.input, failure.reason);
    }
  }
}

WriteOutcome IngestSession::Handle(const ExtractionResult& result) {
  if (!result.record.ok()) {
    RecordFailure(result.label, result.record.status());
    return WriteOutcome::kInputFailed;
  }
  absl::StatusOr<store::WriteResult> written = writer_.Write(*result.record);
  if (!written.ok()) {
    if (IsInputError(written.status())) {
      RecordFailure(result.label, written.status());
      return WriteOutcome::kInputFailed;
    }
    store_error_ = written.status();
    return WriteOutcome::kStoreFailed;
  }
  if (written->already_present) {
    ++summary_.already_present;
    return WriteOutcome::kAlreadyPresent;
  }
  ++summary_.builds_ingested;
  summary_.kfuncs += written->counts.distinct_kfuncs;
  return WriteOutcome::kIngested;
}

void IngestSession::RecordFailure(std::string input, const absl::Status& status) {
  summary_.failures.push_back({std::move(input), std::string(status.message())});
}

void IngestSession::RecordSkipped(std::string input) {
  ++summary_.skipped;
  summary_.skipped_inputs.push_back(std::move(input));
}

}  // namespace kfuncdb::ingest_cli
