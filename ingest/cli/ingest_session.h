// IngestSession: the writer side of `kfuncdb-ingest`. Takes extraction
// results in any order, writes each build with one BuildWriter (one
// transaction per build) and keeps the run's summary.
//
// Failures are of two kinds:
//  - an input failure (the input could not be read, is no kernel, lacks a
//    release...): recorded with the input's name and reason; the run goes on.
//  - a store failure (database locked, disk full, unwritable...): the input
//    is fine but nothing more can be written; Handle() reports kStoreFailed
//    and the caller decides (the batch stops, the watcher retries).
//
// Thread safety: none; it belongs to the single writer thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/sqlite/database.h"
#include "ingest/cli/extraction_pool.h"
#include "ingest/store/build_writer.h"

namespace kfuncdb::ingest_cli {

struct InputFailure {
  std::string input;
  std::string reason;
};

struct IngestSummary {
  int64_t builds_ingested = 0;
  int64_t already_present = 0;
  int64_t kfuncs = 0;  // distinct kfuncs per newly ingested build, summed
  int64_t skipped = 0;
  std::vector<InputFailure> failures;
  std::vector<std::string> skipped_inputs;

  int64_t failed() const { return static_cast<int64_t>(failures.size()); }
  // The closing report: counts, then one line per failed or skipped input.
  void Print(std::FILE* out) const;
};

enum class WriteOutcome { kIngested, kAlreadyPresent, kInputFailed, kStoreFailed };

class IngestSession {
 public:
  explicit IngestSession(sqlite::Database& db) : writer_(db) {}

  // Writes the result's build, or records its failure. On kStoreFailed the
  // summary is left untouched (the same result may be handed in again) and
  // store_error() says why.
  WriteOutcome Handle(const ExtractionResult& result);

  void RecordFailure(std::string input, const absl::Status& status);
  void RecordSkipped(std::string input);

  const IngestSummary& summary() const { return summary_; }
  const absl::Status& store_error() const { return store_error_; }
  // The reason of the last kInputFailed outcome.
  const std::string& last_failure() const { return summary_.failures.back().reason; }

 private:
  store::BuildWriter writer_;
  IngestSummary summary_;
  absl::Status store_error_;
};

}  // namespace kfuncdb::ingest_cli
