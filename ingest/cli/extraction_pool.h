// ExtractionPool: runs extraction tasks (unpack + extract one build: CPU
// and memory heavy, no database) on N threads and hands their results to
// the single writer thread in completion order.
//
// The writer waits on ready_fd() (an eventfd, readable while results are
// waiting) together with its other descriptors, then drains with TryTake().
// Memory stays bounded by the threads: a task's kernel bytes live only while
// it runs; results are BuildRecords (kilobytes).
//
// Thread safety: Submit, TryTake, pending and CancelQueued may be called
// from any thread; tasks run on the pool's threads and must be thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/kfuncdb/v1/build_record.pb.h"

namespace kfuncdb::ingest_cli {

struct ExtractionTask {
  // The input(s) the task reads, as the user named them: progress lines and
  // failure reports show it.
  std::string label;
  // The files it reads (the watcher moves them aside when the task fails).
  std::vector<std::filesystem::path> files;
  std::function<absl::StatusOr<kfuncdb::v1::BuildRecord>()> run;
};

struct ExtractionResult {
  std::string label;
  std::vector<std::filesystem::path> files;
  absl::StatusOr<kfuncdb::v1::BuildRecord> record;
};

class ExtractionPool {
 public:
  explicit ExtractionPool(int threads);
  // Drops queued tasks, waits for running ones, joins the threads.
  ~ExtractionPool();
  ExtractionPool(const ExtractionPool&) = delete;
  ExtractionPool& operator=(const ExtractionPool&) = delete;

  void Submit(ExtractionTask task);
  // A finished result, or nullopt when none is waiting.
  std::optional<ExtractionResult> TryTake();
  // Tasks submitted and not yet taken (queued, running or finished).
  size_t pending() const;
  // Forgets tasks that have not started; returns how many.
  size_t CancelQueued();
  int ready_fd() const { return ready_fd_; }

 private:
  void Work();

  mutable std::mutex mu_;
  std::condition_variable work_available_;
  std::deque<ExtractionTask> queue_;
  std::deque<ExtractionResult> results_;
  size_t pending_ = 0;
  bool shutting_down_ = false;
  int ready_fd_ = -1;
  std::vector<std::thread> threads_;
};

}  // namespace kfuncdb::ingest_cli
