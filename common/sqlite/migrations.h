// The schema's migrations and the two ways to open the kfuncdb store.
//
// migrations/NNNN_name.sql are embedded into the binary at build time. The
// database's `PRAGMA user_version` is the number of the last migration
// applied; Migrate() applies the missing ones in order, each in its own
// transaction together with the version bump, so a failure leaves the
// database at the last good version. Migration numbers start at 1 and have
// no gaps (checked).
//
// Writers: OpenForWriting() = open read-write + Migrate().
// Readers: OpenForReading() = open read-only + CheckSchemaVersion(); a
// reader never changes the file.
// Either side refuses a database whose version is newer than the binary's.
#pragma once

#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/sqlite/database.h"

namespace kfuncdb::sqlite {

struct Migration {
  int version;                // NNNN
  std::string_view name;      // file name, for messages
  std::string_view sql;
};

// The migrations built into this binary, in order; validated once.
std::span<const Migration> BuiltInMigrations();
// Version of the newest built-in migration.
int LatestSchemaVersion();

// `PRAGMA user_version` of the database.
absl::StatusOr<int> SchemaVersion(Database& db);

// Applies the migrations newer than the database's version, in order.
// FailedPrecondition when the database is newer than `migrations` or is
// read-only. Safe against a concurrent migrator: the version is re-read
// under the write lock.
absl::Status Migrate(Database& db, std::span<const Migration> migrations);
inline absl::Status Migrate(Database& db) { return Migrate(db, BuiltInMigrations()); }

// OK when the database is exactly at LatestSchemaVersion(); otherwise
// FailedPrecondition saying which side must be upgraded.
absl::Status CheckSchemaVersion(Database& db);

absl::StatusOr<Database> OpenForWriting(const std::filesystem::path& path,
                                        const OpenOptions& options = {});
absl::StatusOr<Database> OpenForReading(const std::filesystem::path& path,
                                        const OpenOptions& options = {});

}  // namespace kfuncdb::sqlite
