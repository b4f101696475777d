#include "common/sqlite/migrations.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite/embedded_migrations.h"
#include "common/sqlite/transaction.h"
#include "common/status_macros.h"

namespace kfuncdb::sqlite {
namespace {

// "0002_lifecycle.sql" -> 2; 0 when the name does not follow NNNN_name.sql.
int VersionFromFileName(std::string_view name) {
  int version = 0;
  if (name.size() < 9 || name[4] != '_' || !name.ends_with(".sql") ||
      !absl::SimpleAtoi(std::string(name.substr(0, 4)), &version)) {
    return 0;
  }
  return version;
}

std::vector<Migration> LoadBuiltInMigrations() {
  std::vector<Migration> migrations;
  for (const EmbeddedFile& file : EmbeddedMigrations()) {
    int version = VersionFromFileName(file.name);
    // The files are fixed at build time: a misnamed or missing migration
    // is a defect of this binary, not a runtime condition.
    if (version != static_cast<int>(migrations.size()) + 1) {
      std::cerr << "kfuncdb: embedded migration " << file.name << " should be number "
                << migrations.size() + 1 << " (NNNN_name.sql, no gaps)\n";
      std::abort();
    }
    migrations.push_back(Migration{version, file.name, file.contents});
  }
  return migrations;
}

absl::Status ApplyOne(Database& db, const Migration& migration) {
  KFUNCDB_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  // Another writer may have migrated between our version check and the lock.
  KFUNCDB_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  if (current >= migration.version) return absl::OkStatus();
  if (current != migration.version - 1) {
    return absl::FailedPreconditionError(
        absl::StrCat(db.path().string(), ": schema version ", current, " cannot take migration ",
                     std::string(migration.name)));
  }
  if (absl::Status status = db.Execute(migration.sql); !status.ok()) {
    return absl::Status(status.code(), absl::StrCat("migration ", std::string(migration.name), ": ",
                                                    status.message()));
  }
  KFUNCDB_RETURN_IF_ERROR(db.Execute(absl::StrCat("PRAGMA user_version = ", migration.version)));
  return txn.Commit();
}

absl::Status TooNew(const Database& db, int version, int supported) {
  return absl::FailedPreconditionError(absl::StrCat(
      db.path().string(), ": database schema version ", version,
      " is newer than this binary supports (", supported, "); upgrade kfuncdb"));
}

}  // namespace

std::span<const Migration> BuiltInMigrations() {
  static const std::vector<Migration> migrations = LoadBuiltInMigrations();
  return migrations;
}

int LatestSchemaVersion() { return static_cast<int>(BuiltInMigrations().size()); }

absl::StatusOr<int> SchemaVersion(Database& db) {
  KFUNCDB_ASSIGN_OR_RETURN(Statement* stmt, db.Prepared("PRAGMA user_version"));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, stmt->Step());
  int version = row ? static_cast<int>(stmt->ColumnInt64(0)) : 0;
  stmt->Reset();
  return version;
}

absl::Status Migrate(Database& db, std::span<const Migration> migrations) {
  if (db.mode() != OpenMode::kReadWrite) {
    return absl::FailedPreconditionError(
        absl::StrCat(db.path().string(), ": cannot migrate a database opened read-only"));
  }
  KFUNCDB_ASSIGN_OR_RETURN(int version, SchemaVersion(db));
  int supported = migrations.empty() ? 0 : migrations.back().version;
  if (version > supported) return TooNew(db, version, supported);
  for (const Migration& migration : migrations) {
    if (migration.version <= version) continue;
    KFUNCDB_RETURN_IF_ERROR(ApplyOne(db, migration));
  }
  return absl::OkStatus();
}

absl::Status CheckSchemaVersion(Database& db) {
  KFUNCDB_ASSIGN_OR_RETURN(int version, SchemaVersion(db));
  int supported = LatestSchemaVersion();
  if (version > supported) return TooNew(db, version, supported);
  if (version < supported) {
    return absl::FailedPreconditionError(absl::StrCat(
        db.path().string(), ": database schema version ", version, " is older than this binary's (",
        supported, "); run kfuncdb-ingest on it to migrate"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Database> OpenForWriting(const std::filesystem::path& path,
                                        const OpenOptions& options) {
  KFUNCDB_ASSIGN_OR_RETURN(Database db, Database::Open(path, OpenMode::kReadWrite, options));
  KFUNCDB_RETURN_IF_ERROR(Migrate(db));
  return db;
}

absl::StatusOr<Database> OpenForReading(const std::filesystem::path& path,
                                        const OpenOptions& options) {
  KFUNCDB_ASSIGN_OR_RETURN(Database db, Database::Open(path, OpenMode::kReadOnly, options));
  KFUNCDB_RETURN_IF_ERROR(CheckSchemaVersion(db));
  return db;
}

}  // namespace kfuncdb::sqlite
