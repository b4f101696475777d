#include "ingest/cli/extraction_pool.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace kfuncdb::ingest_cli {

ExtractionPool::ExtractionPool(int threads) {
  ready_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (ready_fd_ < 0) {
    std::perror("kfuncdb-ingest: eventfd");
    std::abort();
  }
  for (int i = 0; i < std::max(threads, 1); ++i) threads_.emplace_back([this] { Work(); });
}

ExtractionPool::~ExtractionPool() {
  {
    std::lock_guard lock(mu_);
    shutting_down_ = true;
    queue_.clear();
  }
  work_available_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  close(ready_fd_);
}

void ExtractionPool::Submit(ExtractionTask task) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
    ++pending_;
  }
  work_available_.notify_one();
}

std::optional<ExtractionResult> ExtractionPool::TryTake() {
  std::lock_guard lock(mu_);
  if (results_.empty()) {
    // Reset the eventfd's counter so poll() sleeps until the next result.
    uint64_t ignored;
    [[maybe_unused]] ssize_t n = read(ready_fd_, &ignored, sizeof(ignored));
    return std::nullopt;
  }
  ExtractionResult result = std::move(results_.front());
  results_.pop_front();
  --pending_;
  return result;
}

size_t ExtractionPool::pending() const {
  std::lock_guard lock(mu_);
  return pending_;
}

size_t ExtractionPool::CancelQueued() {
  std::lock_guard lock(mu_);
  size_t dropped = queue_.size();
  queue_.clear();
  pending_ -= dropped;
  return dropped;
}

void ExtractionPool::Work() {
  for (;;) {
    ExtractionTask task;
    {
      std::unique_lock lock(mu_);
      work_available_.wait(lock, [this] { return shutting_down_ || !queue_.empty(); });
      if (shutting_down_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    ExtractionResult result{task.label, task.files, task.run()};
    {
      std::lock_guard lock(mu_);
      results_.push_back(std::move(result));
    }
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(ready_fd_, &one, sizeof(one));
  }
}

}  // namespace kfuncdb::ingest_cli
