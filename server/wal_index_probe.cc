#include "server/wal_index_probe.h"

#include <sqlite3.h>

#include <atomic>
#include <bit>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "common/sqlite/sqlite_status.h"
#include "common/status_macros.h"

namespace kfuncdb::server {
namespace {

// SQLite's wal-index layout (https://www.sqlite.org/walformat.html): the
// header is 48 bytes, kept twice; the first word is the format version and
// byte 12 (`isInit`) is non-zero once the header has been written.
constexpr uint32_t kWalIndexFormatVersion = 3007000;
constexpr int kHeaderWords = 12;
constexpr int kIsInitWord = 3;
// xShmMap maps the wal-index in regions of this size (SQLite's
// WALINDEX_PGSZ); the header lies at the start of region 0.
constexpr int kShmRegionBytes = 32768;

// Byte 12 of the header, `isInit`: non-zero once a connection has written
// the header.
bool IsInit(const WalIndexState& header) {
  const uint32_t word = header[kIsInitWord];
  return (std::endian::native == std::endian::little ? word & 0xffu : word >> 24) != 0;
}

absl::StatusOr<std::string> JournalMode(sqlite::Database& db) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement statement, db.Prepare("PRAGMA journal_mode"));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, statement.Step());
  if (!row) return absl::InternalError("PRAGMA journal_mode returned no row");
  return absl::AsciiStrToLower(ToAbsl(statement.ColumnText(0)));
}

}  // namespace

absl::StatusOr<WalIndexProbe> WalIndexProbe::Attach(sqlite::Database& db) {
  KFUNCDB_ASSIGN_OR_RETURN(std::string journal_mode, JournalMode(db));
  if (journal_mode != "wal") {
    return absl::FailedPreconditionError(absl::StrCat(db.path().string(), " is in journal mode '",
                                                      journal_mode, "', not WAL"));
  }
  // A read opens the connection's WAL, and with it the wal-index mapping.
  KFUNCDB_RETURN_IF_ERROR(db.Execute("SELECT count(*) FROM sqlite_schema"));

  sqlite3_file* file = nullptr;
  const int found = sqlite3_file_control(db.raw(), "main", SQLITE_FCNTL_FILE_POINTER, &file);
  if (found != SQLITE_OK || file == nullptr || file->pMethods == nullptr) {
    return sqlite::SqliteStatus(db.raw(), found, "SQLITE_FCNTL_FILE_POINTER");
  }
  const sqlite3_io_methods& methods = *file->pMethods;
  if (methods.iVersion < 2 || methods.xShmMap == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(db.path().string(), ": the VFS has no shared-memory wal-index"));
  }
  volatile void* region = nullptr;
  // bExtend = 0: map what exists, never grow it. A read-only wal-index
  // reports SQLITE_READONLY along with a usable mapping.
  const int mapped = methods.xShmMap(file, 0, kShmRegionBytes, 0, &region);
  if ((mapped != SQLITE_OK && mapped != SQLITE_READONLY) || region == nullptr) {
    if (mapped == SQLITE_OK || mapped == SQLITE_READONLY) {
      return absl::FailedPreconditionError(
          absl::StrCat(db.path().string(), ": the wal-index has no header yet"));
    }
    return sqlite::SqliteStatus(db.raw(), mapped, "xShmMap of the wal-index");
  }
  return WalIndexProbe(static_cast<const volatile uint32_t*>(region));
}

std::optional<WalIndexState> WalIndexProbe::State() const {
  // The writer stores copy 2, then (after a barrier) copy 1; reading copy 1
  // first and copy 2 after a fence means equal copies are one whole header.
  // The loads are atomic because another process writes the words.
  WalIndexState first, second;
  for (int i = 0; i < kHeaderWords; ++i) first[i] = __atomic_load_n(&header_[i], __ATOMIC_RELAXED);
  std::atomic_thread_fence(std::memory_order_acquire);
  for (int i = 0; i < kHeaderWords; ++i) {
    second[i] = __atomic_load_n(&header_[kHeaderWords + i], __ATOMIC_RELAXED);
  }
  if (first != second || first[0] != kWalIndexFormatVersion || !IsInit(first)) return std::nullopt;
  return first;
}

}  // namespace kfuncdb::server
