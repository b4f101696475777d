// The three things kfuncdb-ingest does, each returning the process exit
// status:
//   RunIngest   --db FILE INPUT...   extract in parallel, write with one thread
//   RunWatch    --db FILE --watch DIR   the worker: DIR's files, then each new one
//   RunInspect  inspect INPUT...     extract and print, no database
//
// Exit statuses (ExitCode):
//   0  every input ingested (or already present) / inspected; a worker
//      stopped by SIGINT or SIGTERM
//   1  at least one input failed (named on the summary), the others were
//      ingested; or a batch interrupted by a signal before its end
//   2  usage error (bad flags)
//   3  the database cannot be used: cannot be opened or created, newer
//      schema, locked by another writer past the busy timeout, disk full
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

#include "ingest/cli/build_extraction.h"

namespace kfuncdb::ingest_cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitInputFailed = 1,
  kExitUsage = 2,
  kExitStoreFailed = 3,
};

struct StoreOptions {
  std::filesystem::path db;
  std::chrono::milliseconds busy_timeout{5000};
  int jobs = 1;  // extraction threads
};

int RunIngest(const std::vector<std::filesystem::path>& inputs, const StoreOptions& store,
              const BuildOptions& build);

// `split_wait`: how long a Debian split-packaging part waits for its
// sibling before it is ingested alone.
int RunWatch(const std::filesystem::path& dir, const StoreOptions& store,
             const BuildOptions& build, std::chrono::seconds split_wait);

// `json`: one JSON object for one build, an array of objects for several
// (record_json.h); otherwise a table per build.
int RunInspect(const std::vector<std::filesystem::path>& inputs, const BuildOptions& build,
               bool json);

}  // namespace kfuncdb::ingest_cli
