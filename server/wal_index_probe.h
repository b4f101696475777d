// WalIndexProbe: tells the server, for the cost of reading 96 bytes of
// memory, whether any transaction has been committed to the database since
// an earlier look, so that an answer computed then can be served without
// asking SQLite again.
//
// Why: a read transaction (or even `PRAGMA data_version`, which is one)
// takes the WAL index's read locks and the VFS's mutexes; under load that
// was most of the server's own time on a repeated question. An earlier
// design watched the database's folder with inotify; it needed a syscall
// and a mutex per look, and a writer's `-wal` write is seen before its
// commit is visible, so a look taken in between could vouch for a state
// that then changed without another event.
//
// How: in WAL mode every commit becomes visible to readers exactly when the
// committing connection rewrites the wal-index header, the first 96 bytes
// of the `-shm` file, which every connection maps into memory (SQLite's
// documented WAL-index format: two copies of a 48-byte header, written
// copy 2 first, copy 1 last). Each header carries a change counter, the
// last valid frame and checksums, so any commit changes it. The probe maps
// it through one pool connection's own VFS (sqlite3_io_methods::xShmMap:
// the mapping SQLite itself reads, no extra descriptor whose close would
// drop SQLite's POSIX locks) and reads the two copies the way SQLite's
// readers do: copy 1, a fence, copy 2; unequal copies mean a commit is in
// progress, reported as "unknown".
//
// Using a state: read State() before a read transaction begins; the
// transaction's snapshot is then that state or newer. An answer tagged with
// it may be served later whenever State() still equals the tag: no commit
// happened from the tag's read to that moment, so the snapshot the answer
// came from is the current database.
//
// Lifetime and thread safety: the probe borrows the mapping of the
// connection it was attached to, which must stay open as long as the probe
// is used. State() may be called from any thread, concurrently; it takes no
// lock and makes no syscall.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "common/sqlite/database.h"

namespace kfuncdb::server {

// One wal-index header: equal values mean the same committed database.
using WalIndexState = std::array<uint32_t, 12>;

class WalIndexProbe {
 public:
  // Attaches to `db`'s wal-index. `db` must not be in a transaction.
  // Errors: FailedPrecondition when the database is not in WAL mode (the
  // message names the journal mode and the file), or when its VFS has no
  // shared-memory wal-index (e.g. exclusive locking mode); the SQLite error
  // when asking fails.
  static absl::StatusOr<WalIndexProbe> Attach(sqlite::Database& db);

  // The committed state now, or nullopt while a commit is rewriting the
  // header (or before the wal-index was ever initialised): the caller must
  // then take a read transaction.
  std::optional<WalIndexState> State() const;

 private:
  explicit WalIndexProbe(const volatile uint32_t* header) : header_(header) {}

  // The first 96 bytes of the `-shm` mapping: two WalIndexState copies.
  const volatile uint32_t* header_;
};

}  // namespace kfuncdb::server
