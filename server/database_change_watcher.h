// DatabaseChangeWatcher: tells the reader pool, for the cost of one
// non-blocking read(2), whether the database may have changed since it last
// looked, so that a cached answer can be served without asking SQLite.
//
// Why: `PRAGMA data_version` is exact but is itself a read transaction (the
// WAL index's read locks, the VFS's file locks and their mutexes), and under
// load it was half of the server's own time on a cache hit.
//
// How: an inotify watch on the database's folder. Every commit writes the
// database's `-wal` file (WAL mode) or the database file itself (rollback
// mode) before it becomes visible, and each such write queues an IN_MODIFY
// event before the write returns. So a commit that finished before a
// Generation() call began has its event in the queue by then; Generation()
// drains the queue and counts every batch that names one of the two files
// (or overflowed) as a new generation. Unchanged generation => no commit
// since; a changed one only means "look": the pool then checks
// `PRAGMA data_version` inside its transaction as before, so a spurious
// event (a checkpoint, another file of that name written) costs one slow
// path and never a wrong answer.
//
// Thread safety: Generation() may be called from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace kfuncdb::server {

class DatabaseChangeWatcher {
 public:
  // Watches the folder of `database`. Errors: the inotify error (e.g.
  // ResourceExhausted when the per-user watch limit is reached), naming the
  // folder.
  static absl::StatusOr<std::unique_ptr<DatabaseChangeWatcher>> Watch(
      const std::filesystem::path& database);
  ~DatabaseChangeWatcher();

  DatabaseChangeWatcher(const DatabaseChangeWatcher&) = delete;
  DatabaseChangeWatcher& operator=(const DatabaseChangeWatcher&) = delete;

  // The number of change batches seen so far, after taking in every event
  // already queued. Errors (reading the inotify descriptor failed) come back
  // as a status; the caller must then assume a change.
  absl::StatusOr<uint64_t> Generation();

 private:
  DatabaseChangeWatcher(int inotify_fd, std::string database_name);

  const int inotify_fd_;
  // The names whose writes precede a commit: "<db>" and "<db>-wal".
  const std::string database_name_;
  const std::string wal_name_;
  absl::Mutex mu_;
  // Draining and counting happen under mu_, so a caller that finds the
  // queue empty also sees the count of events another caller just drained.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace kfuncdb::server
