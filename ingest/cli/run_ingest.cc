// RunIngest: the batch mode of kfuncdb-ingest.
#include <poll.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <system_error>

#include "absl/strings/str_format.h"
#include "common/sqlite/migrations.h"
#include "ingest/cli/commands.h"
#include "ingest/cli/extraction_pool.h"
#include "ingest/cli/ingest_session.h"
#include "ingest/cli/input_plan.h"
#include "ingest/cli/progress_line.h"
#include "ingest/cli/stop_signal.h"

namespace kfuncdb::ingest_cli {
namespace {

uint64_t PlanBytes(const unpack::BuildPlan& plan) {
  uint64_t bytes = 0;
  for (const unpack::InputFile& file : plan.files) {
    std::error_code ec;
    uint64_t size = std::filesystem::file_size(file.path, ec);
    if (!ec) bytes += size;
  }
  return bytes;
}

}  // namespace

int RunIngest(const std::vector<std::filesystem::path>& inputs, const StoreOptions& store,
              const BuildOptions& build) {
  absl::StatusOr<sqlite::Database> db =
      sqlite::OpenForWriting(store.db, sqlite::OpenOptions{store.busy_timeout});
  if (!db.ok()) {
    absl::FPrintF(stderr, "kfuncdb-ingest: cannot use database: %s\n", db.status().message());
    return kExitStoreFailed;
  }
  const StopSignal& stop = StopSignal::Install();
  IngestSession session(*db);

  PlannedInputs planned = PlanInputs(inputs, build.unpack);
  for (InputFailure& failure : planned.failures) {
    session.RecordFailure(std::move(failure.input), absl::InvalidArgumentError(failure.reason));
  }
  for (std::string& folder : planned.skipped) session.RecordSkipped(std::move(folder));

  // Largest builds first: with uneven builds on few threads, starting the
  // long ones early keeps every thread busy until the end.
  std::stable_sort(planned.builds.begin(), planned.builds.end(),
                   [](const unpack::BuildPlan& a, const unpack::BuildPlan& b) {
                     return PlanBytes(a) > PlanBytes(b);
                   });
  const size_t total = planned.builds.size();
  size_t done = 0;
  ProgressLine progress(stderr);
  absl::Status store_error;
  {
    ExtractionPool pool(store.jobs);
    for (unpack::BuildPlan& plan : planned.builds) {
      pool.Submit(MakeExtractionTask(std::move(plan), build));
    }
    progress.Update(done, total, "");
    while (pool.pending() > 0 && !stop.requested() && store_error.ok()) {
      pollfd fds[] = {{pool.ready_fd(), POLLIN, 0}, {stop.fd(), POLLIN, 0}};
      poll(fds, 2, /*timeout_ms=*/1000);
      while (store_error.ok()) {
        std::optional<ExtractionResult> result = pool.TryTake();
        if (!result) break;
        if (session.Handle(*result) == WriteOutcome::kStoreFailed) {
          store_error = session.store_error();
          break;
        }
        progress.Update(++done, total, result->label);
      }
    }
    pool.CancelQueued();  // on a stop or store failure; the destructor joins
  }
  progress.Clear();
  session.summary().Print(stdout);
  if (!store_error.ok()) {
    absl::FPrintF(stderr, "kfuncdb-ingest: stopped, %d of %d builds not written: %s\n",
                  total - done, total, store_error.message());
    return kExitStoreFailed;
  }
  if (done < total) {
    absl::FPrintF(stderr, "kfuncdb-ingest: interrupted, %d of %d builds not ingested\n",
                  total - done, total);
    return kExitInputFailed;
  }
  return session.summary().failed() > 0 ? kExitInputFailed : kExitOk;
}

}  // namespace kfuncdb::ingest_cli
