// BuildWriter: files one extracted build (a kfuncdb.v1.BuildRecord) into the
// store, the only code that writes build facts (migrations/0001_builds.sql).
//
// Each Write() is ONE transaction (BEGIN IMMEDIATE): the builds row, every
// build_kfuncs / build_modules / build_diagnostics row, the interned names
// and prototypes it needs, and the lifecycle upkeep of the build's lineages
// (UpdateLifecycleForBuild, ingest/store/lifecycle_upkeep.h). Any failure
// rolls all of it back: a reader never sees half a build, nor a build
// without its lifecycle.
//
// Identity: a build is its content_sha256. Writing a record whose digest is
// already stored changes nothing and reports already_present with the
// existing row id (its counts are those of the stored build).
//
// Lineage: the record's `lineage` field, or derived from its identity, by
// kfuncdb::AssignLineage (common/lineage.h); the lineage row is created on
// first use.
//
// Thread safety: one writer per Database, used by one thread. Several
// processes may write the same file: the second waits for the write lock up
// to the Database's busy timeout, then fails with Unavailable.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/sqlite/database.h"
#include "common/strong_id.h"
#include "proto/kfuncdb/v1/build_record.pb.h"

namespace kfuncdb::store {

struct WriteCounts {
  int64_t kfunc_rows = 0;      // build_kfuncs rows (a kfunc in two sets counts twice)
  int64_t distinct_kfuncs = 0;
  int64_t modules = 0;
  int64_t diagnostics = 0;
};

struct WriteResult {
  BuildRowId build;
  // True when a build with the same content_sha256 was already stored;
  // nothing was written.
  bool already_present = false;
  std::string lineage;  // home lineage name of the build
  WriteCounts counts;
};

class BuildWriter {
 public:
  // `db` must be open for writing and migrated (sqlite::OpenForWriting) and
  // outlive the writer.
  explicit BuildWriter(sqlite::Database& db) : db_(db) {}

  // Errors: InvalidArgument naming the missing or malformed field (empty
  // kernel_release, release, arch or content_sha256; a kfunc without name,
  // owner or source; a bad lineage name); FailedPrecondition when the
  // record contradicts the store (a lineage of another kind, a release
  // past the catalog, a duplicate module); Unavailable when another process
  // holds the write lock; other store errors as statuses naming the file.
  absl::StatusOr<WriteResult> Write(const kfuncdb::v1::BuildRecord& record);

 private:
  sqlite::Database& db_;
};

}  // namespace kfuncdb::store
