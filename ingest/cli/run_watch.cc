// RunWatch: the worker mode of kfuncdb-ingest (--watch DIR).
//
// Everything already in DIR is ingested, then each file that lands. Failed
// inputs are moved to DIR/.failed/ with a .error file; ingested ones stay
// where they are (a restart re-reads them, and the writer finds them already
// present). A store failure (database locked past the busy timeout, disk
// full) keeps the build and retries it every second. SIGINT/SIGTERM: the
// write in progress finishes, running extractions are abandoned, exit 0.
#include <poll.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <set>

#include "absl/strings/str_format.h"
#include "common/sqlite/migrations.h"
#include "ingest/cli/commands.h"
#include "ingest/cli/extraction_pool.h"
#include "ingest/cli/folder_watch.h"
#include "ingest/cli/ingest_session.h"
#include "ingest/cli/input_plan.h"
#include "ingest/cli/stop_signal.h"

namespace kfuncdb::ingest_cli {
namespace {

constexpr int kStoreRetryMs = 1000;

// The entry of `dir` that holds `file` (itself, or the sub-folder it is in).
std::filesystem::path TopLevelEntry(const std::filesystem::path& dir,
                                    const std::filesystem::path& file) {
  std::filesystem::path relative = file.lexically_relative(dir);
  if (relative.empty() || *relative.begin() == "..") return file;
  return dir / *relative.begin();
}

class Worker {
 public:
  Worker(const std::filesystem::path& dir, sqlite::Database& db, const StoreOptions& store,
         const BuildOptions& build)
      : dir_(dir), build_(build), session_(db), pool_(store.jobs) {}

  int Run(FolderWatch& watch, const StopSignal& stop) {
    absl::StatusOr<std::vector<std::filesystem::path>> current = watch.ListCurrent();
    if (!current.ok()) return Fatal(current.status());
    Submit(*current);
    auto next_retry = std::chrono::steady_clock::now();
    while (!stop.requested()) {
      pollfd fds[] = {{watch.fd(), POLLIN, 0}, {pool_.ready_fd(), POLLIN, 0}, {stop.fd(), POLLIN, 0}};
      poll(fds, 3, retry_.empty() ? -1 : kStoreRetryMs);
      if (stop.requested()) break;
      absl::StatusOr<std::vector<std::filesystem::path>> landed = watch.TakeLanded();
      if (!landed.ok()) return Fatal(landed.status());
      Submit(*landed);
      if (!retry_.empty() && std::chrono::steady_clock::now() >= next_retry) {
        ExtractionResult result = std::move(retry_.front());
        retry_.pop_front();
        Handle(std::move(result));
        next_retry = std::chrono::steady_clock::now() + std::chrono::milliseconds(kStoreRetryMs);
      }
      while (std::optional<ExtractionResult> result = pool_.TryTake()) Handle(std::move(*result));
    }
    absl::FPrintF(stderr, "kfuncdb-ingest: stopping on signal (%d builds ingested, %d failed)\n",
                  session_.summary().builds_ingested, session_.summary().failed());
    return kExitOk;
  }

 private:
  int Fatal(const absl::Status& status) {
    absl::FPrintF(stderr, "kfuncdb-ingest: %s\n", status.message());
    return kExitInputFailed;
  }

  void Submit(const std::vector<std::filesystem::path>& entries) {
    std::vector<std::filesystem::path> fresh;
    for (const std::filesystem::path& entry : entries) {
      // Seen twice (listed at start and landed meanwhile): the first is enough.
      if (in_flight_.insert(entry).second) fresh.push_back(entry);
    }
    if (fresh.empty()) return;
    PlannedInputs planned = PlanInputs(fresh, build_.unpack);
    for (const InputFailure& failure : planned.failures) {
      Quarantine({failure.input}, failure.reason);
      session_.RecordFailure(failure.input, absl::InvalidArgumentError(failure.reason));
      in_flight_.erase(failure.input);
    }
    for (const std::string& folder : planned.skipped) {
      absl::FPrintF(stderr, "kfuncdb-ingest: skipped %s: no kernel build found\n", folder);
      in_flight_.erase(folder);
    }
    for (unpack::BuildPlan& plan : planned.builds) {
      pool_.Submit(MakeExtractionTask(std::move(plan), build_));
    }
  }

  void Handle(ExtractionResult result) {
    switch (session_.Handle(result)) {
      case WriteOutcome::kIngested:
        absl::FPrintF(stderr, "kfuncdb-ingest: ingested %s: %s %s, %d kfuncs\n", result.label,
                      result.record->kernel_release(), result.record->arch(),
                      result.record->kfuncs_size());
        break;
      case WriteOutcome::kAlreadyPresent:
        absl::FPrintF(stderr, "kfuncdb-ingest: already present %s: %s\n", result.label,
                      result.record->kernel_release());
        break;
      case WriteOutcome::kInputFailed:
        Quarantine(result.files, session_.last_failure());
        break;
      case WriteOutcome::kStoreFailed:
        absl::FPrintF(stderr, "kfuncdb-ingest: cannot write %s, retrying: %s\n", result.label,
                      session_.store_error().message());
        retry_.push_back(std::move(result));
        return;  // still in flight
    }
    for (const std::filesystem::path& file : result.files) {
      in_flight_.erase(TopLevelEntry(dir_, file));
    }
  }

  // Moves the DIR entries holding `files` to DIR/.failed/.
  void Quarantine(const std::vector<std::filesystem::path>& files, const std::string& reason) {
    std::set<std::filesystem::path> entries;
    for (const std::filesystem::path& file : files) entries.insert(TopLevelEntry(dir_, file));
    for (const std::filesystem::path& entry : entries) {
      absl::Status moved = QuarantineFailedInput(dir_, entry, reason);
      absl::FPrintF(stderr, "kfuncdb-ingest: FAILED %s: %s (%s)\n", entry.string(), reason,
                    moved.ok() ? "moved to .failed/" : moved.message());
    }
  }

  std::filesystem::path dir_;
  BuildOptions build_;
  IngestSession session_;
  ExtractionPool pool_;
  std::set<std::filesystem::path> in_flight_;
  std::deque<ExtractionResult> retry_;
};

}  // namespace

int RunWatch(const std::filesystem::path& dir, const StoreOptions& store,
             const BuildOptions& build) {
  absl::StatusOr<sqlite::Database> db =
      sqlite::OpenForWriting(store.db, sqlite::OpenOptions{store.busy_timeout});
  if (!db.ok()) {
    absl::FPrintF(stderr, "kfuncdb-ingest: cannot use database: %s\n", db.status().message());
    return kExitStoreFailed;
  }
  const StopSignal& stop = StopSignal::Install();
  absl::StatusOr<FolderWatch> watch = FolderWatch::Start(dir);
  if (!watch.ok()) {
    absl::FPrintF(stderr, "kfuncdb-ingest: --watch: %s\n", watch.status().message());
    return kExitUsage;
  }
  Worker worker(dir, *db, store, build);
  return worker.Run(*watch, stop);
}

}  // namespace kfuncdb::ingest_cli
