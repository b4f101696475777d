// RunWatch: the worker mode of kfuncdb-ingest (--watch DIR).
//
// Everything already in DIR is ingested, then each file that lands. Failed
// inputs are moved to DIR/.failed/ with a .error file; ingested ones stay
// where they are (a restart re-reads them, and the writer finds them already
// present). A store failure (database locked past the busy timeout, disk
// full) keeps the build and retries it every second. Debian's split packages
// (split_packages.h) landing one at a time wait for each other, at most
// `split_wait`; then the part that came is ingested alone, said on stderr.
// SIGINT/SIGTERM: the write in progress finishes, running extractions are
// abandoned, held parts stay in DIR for the next start, exit 0.
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <map>
#include <set>

#include "absl/strings/str_format.h"
#include "common/sqlite/migrations.h"
#include "ingest/cli/commands.h"
#include "ingest/cli/extraction_pool.h"
#include "ingest/cli/folder_watch.h"
#include "ingest/cli/ingest_session.h"
#include "ingest/cli/input_plan.h"
#include "ingest/cli/split_packages.h"
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

using Clock = std::chrono::steady_clock;

class Worker {
 public:
  Worker(const std::filesystem::path& dir, sqlite::Database& db, const StoreOptions& store,
         const BuildOptions& build, std::chrono::seconds split_wait)
      : dir_(dir), build_(build), split_wait_(split_wait), session_(db), pool_(store.jobs) {}

  int Run(FolderWatch& watch, const StopSignal& stop) {
    absl::StatusOr<std::vector<std::filesystem::path>> current = watch.ListCurrent();
    if (!current.ok()) return Fatal(current.status());
    Submit(*current);
    auto next_retry = std::chrono::steady_clock::now();
    while (!stop.requested()) {
      pollfd fds[] = {{watch.fd(), POLLIN, 0}, {pool_.ready_fd(), POLLIN, 0}, {stop.fd(), POLLIN, 0}};
      poll(fds, 3, PollTimeoutMs());
      if (stop.requested()) break;
      absl::StatusOr<std::vector<std::filesystem::path>> landed = watch.TakeLanded();
      if (!landed.ok()) return Fatal(landed.status());
      Submit(*landed);
      SubmitExpiredHolds();
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
    for (unpack::BuildPlan& plan : planned.builds) SubmitOrHold(std::move(plan));
  }

  // Joins `plan` with the held part of its release, if any; then holds it
  // while its split sibling is missing, or submits it.
  void SubmitOrHold(unpack::BuildPlan plan) {
    if (!plan.release.empty()) {
      if (auto held = held_.find(plan.release); held != held_.end()) {
        std::vector<unpack::InputFile> files = std::move(held->second.plan.files);
        files.insert(files.end(), std::make_move_iterator(plan.files.begin()),
                     std::make_move_iterator(plan.files.end()));
        plan.files = std::move(files);
        held_.erase(held);
      }
      if (std::string missing = MissingSplitSibling(plan); !missing.empty()) {
        absl::FPrintF(stderr, "kfuncdb-ingest: holding %s until %s lands (at most %d s)\n",
                      PlanLabel(plan), missing, split_wait_.count());
        const std::string release = plan.release;
        held_[release] = HeldPlan{std::move(plan), std::move(missing), Clock::now() + split_wait_};
        return;
      }
    }
    pool_.Submit(MakeExtractionTask(std::move(plan), build_));
  }

  // Held parts whose sibling did not land in time are ingested alone.
  void SubmitExpiredHolds() {
    const Clock::time_point now = Clock::now();
    for (auto it = held_.begin(); it != held_.end();) {
      if (it->second.give_up > now) {
        ++it;
        continue;
      }
      absl::FPrintF(stderr, "kfuncdb-ingest: %s did not land within %d s; ingesting %s without it\n",
                    it->second.missing, split_wait_.count(), PlanLabel(it->second.plan));
      pool_.Submit(MakeExtractionTask(std::move(it->second.plan), build_));
      it = held_.erase(it);
    }
  }

  // Until the next store retry or held part's deadline; -1: no deadline.
  int PollTimeoutMs() const {
    int timeout = retry_.empty() ? -1 : kStoreRetryMs;
    for (const auto& [release, held] : held_) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(held.give_up - Clock::now());
      const int ms = static_cast<int>(std::max<int64_t>(0, left.count()));
      timeout = timeout < 0 ? ms : std::min(timeout, ms);
    }
    return timeout;
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

  // A split-packaging part waiting for its sibling.
  struct HeldPlan {
    unpack::BuildPlan plan;
    std::string missing;  // the sibling's package name
    Clock::time_point give_up;
  };

  std::filesystem::path dir_;
  BuildOptions build_;
  const std::chrono::seconds split_wait_;
  std::map<std::string, HeldPlan> held_;  // by kernel release
  IngestSession session_;
  ExtractionPool pool_;
  std::set<std::filesystem::path> in_flight_;
  std::deque<ExtractionResult> retry_;
};

}  // namespace

int RunWatch(const std::filesystem::path& dir, const StoreOptions& store,
             const BuildOptions& build, std::chrono::seconds split_wait) {
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
  Worker worker(dir, *db, store, build, split_wait);
  return worker.Run(*watch, stop);
}

}  // namespace kfuncdb::ingest_cli
