#include "ingest/store/build_writer.h"

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/lineage.h"
#include "common/sqlite/transaction.h"
#include "common/status_macros.h"
#include "ingest/store/lifecycle_upkeep.h"
#include "ingest/store/row_interner.h"

namespace kfuncdb::store {
namespace {

using kfuncdb::v1::BuildRecord;
using kfuncdb::v1::KfuncRecord;

// The build_kfuncs.source column's spelling of each source.
absl::StatusOr<std::string_view> SourceColumn(const KfuncRecord& kfunc) {
  switch (kfunc.source()) {
    case kfuncdb::v1::KFUNC_SOURCE_SET_SYMBOL: return "set_symbol";
    case kfuncdb::v1::KFUNC_SOURCE_SET_SCAN: return "set_scan";
    case kfuncdb::v1::KFUNC_SOURCE_DECL_TAG: return "decl_tag";
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("kfunc ", kfunc.name(), ": source is not set"));
  }
}

// Everything the schema requires, checked before the transaction starts so
// the error names the record's field rather than a constraint.
absl::Status ValidateRecord(const BuildRecord& record) {
  auto missing = [&](std::string_view field) {
    return absl::InvalidArgumentError(absl::StrCat(
        "build ", record.kernel_release().empty() ? "<unnamed>" : record.kernel_release(),
        " from ", absl::StrJoin(record.inputs(), ", "), ": ", std::string(field), " is unknown"));
  };
  if (record.kernel_release().empty()) return missing("kernel release (pass --release)");
  if (record.release().empty()) return missing("mainline base release (pass --release)");
  if (record.arch().empty()) return missing("architecture (pass --arch)");
  if (record.content_sha256().empty()) return missing("content_sha256");
  for (const KfuncRecord& kfunc : record.kfuncs()) {
    if (kfunc.name().empty() || kfunc.owner().empty()) {
      return absl::InvalidArgumentError(absl::StrCat("build ", record.kernel_release(),
                                                     ": a kfunc without name or owner (btf id ",
                                                     kfunc.btf_id(), ")"));
    }
    KFUNCDB_RETURN_IF_ERROR(SourceColumn(kfunc).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<BuildRowId>> FindBuild(sqlite::Database& db,
                                                    std::string_view content_sha256) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * find,
                           db.Prepared("SELECT id FROM builds WHERE content_sha256 = ?"));
  KFUNCDB_RETURN_IF_ERROR(find->BindAll(content_sha256));
  KFUNCDB_ASSIGN_OR_RETURN(bool found, find->Step());
  std::optional<BuildRowId> id;
  if (found) id = BuildRowId(find->ColumnInt64(0));
  find->Reset();
  return id;
}

absl::StatusOr<WriteCounts> CountsOfStoredBuild(sqlite::Database& db, BuildRowId build) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * count,
      db.Prepared("SELECT (SELECT count(*) FROM build_kfuncs WHERE build_id = ?1),"
                  " (SELECT count(DISTINCT kfunc_name_id) FROM build_kfuncs WHERE build_id = ?1),"
                  " (SELECT count(*) FROM build_modules WHERE build_id = ?1),"
                  " (SELECT count(*) FROM build_diagnostics WHERE build_id = ?1)"));
  KFUNCDB_RETURN_IF_ERROR(count->BindAll(build.value()));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, count->Step());
  WriteCounts counts;
  if (row) {
    counts = {count->ColumnInt64(0), count->ColumnInt64(1), count->ColumnInt64(2),
              count->ColumnInt64(3)};
  }
  count->Reset();
  return counts;
}

absl::StatusOr<std::string> LineageNameOfBuild(sqlite::Database& db, BuildRowId build) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * find,
      db.Prepared("SELECT l.name FROM builds b JOIN lineages l ON l.id = b.lineage_id"
                  " WHERE b.id = ?"));
  KFUNCDB_RETURN_IF_ERROR(find->BindAll(build.value()));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, find->Step());
  std::string name = row ? find->ColumnString(0) : "";
  find->Reset();
  return name;
}

// The lineages row for `lineage`, created on first use.
absl::StatusOr<LineageRowId> LineageRow(sqlite::Database& db, const LineageAssignment& lineage) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * find,
                           db.Prepared("SELECT id, kind FROM lineages WHERE name = ?"));
  KFUNCDB_RETURN_IF_ERROR(find->BindAll(lineage.name));
  KFUNCDB_ASSIGN_OR_RETURN(bool found, find->Step());
  if (found) {
    LineageRowId id(find->ColumnInt64(0));
    std::string kind = find->ColumnString(1);
    find->Reset();
    if (kind != LineageKindName(lineage.kind)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "lineage ", lineage.name, " is stored as kind ", kind, ", this build would make it ",
          std::string(LineageKindName(lineage.kind))));
    }
    return id;
  }
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * insert,
                           db.Prepared("INSERT INTO lineages (name, kind) VALUES (?, ?)"));
  KFUNCDB_RETURN_IF_ERROR(insert->BindAll(lineage.name, LineageKindName(lineage.kind)));
  KFUNCDB_RETURN_IF_ERROR(insert->Run());
  return LineageRowId(db.last_insert_rowid());
}

absl::StatusOr<BuildRowId> InsertBuild(sqlite::Database& db, const BuildRecord& record,
                                       LineageRowId lineage) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * insert,
      db.Prepared("INSERT INTO builds (content_sha256, kernel_release, release, upstream_version,"
                  " arch, flavour, distribution, package_version, lineage_id, flags_known,"
                  " modules_scanned, inputs, ingested_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  nlohmann::json inputs = nlohmann::json::array();
  for (const std::string& input : record.inputs()) inputs.push_back(input);
  std::string now = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
  KFUNCDB_RETURN_IF_ERROR(insert->BindAll(
      record.content_sha256(), record.kernel_release(), record.release(),
      record.upstream_version(), record.arch(), record.flavour(), record.distribution(),
      record.package_version(), lineage.value(), record.flags_known(),
      static_cast<int64_t>(record.modules_scanned()), inputs.dump(), now));
  KFUNCDB_RETURN_IF_ERROR(insert->Run());
  return BuildRowId(db.last_insert_rowid());
}

absl::Status InsertKfunc(sqlite::Database& db, RowInterner& interner, BuildRowId build,
                         const KfuncRecord& kfunc) {
  KFUNCDB_ASSIGN_OR_RETURN(NameRowId name, interner.Name(kfunc.name()));
  std::optional<int64_t> set_name;
  if (kfunc.has_set_name()) {
    KFUNCDB_ASSIGN_OR_RETURN(NameRowId id, interner.Name(kfunc.set_name()));
    set_name = id.value();
  }
  KFUNCDB_ASSIGN_OR_RETURN(NameRowId owner, interner.Name(kfunc.owner()));
  KFUNCDB_ASSIGN_OR_RETURN(PrototypeRowId prototype,
                           interner.Prototype(kfunc.prototype(), kfunc.signature_hash()));
  std::vector<std::string> tags(kfunc.decl_tags().begin(), kfunc.decl_tags().end());
  std::sort(tags.begin(), tags.end());
  KFUNCDB_ASSIGN_OR_RETURN(std::string_view source, SourceColumn(kfunc));
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * insert,
      db.Prepared("INSERT INTO build_kfuncs (build_id, kfunc_name_id, set_name_id, set_flags,"
                  " owner_name_id, flags, prototype_id, decl_tags, btf_id, source)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  std::optional<int64_t> set_flags, flags;
  if (kfunc.has_set_flags()) set_flags = kfunc.set_flags();
  if (kfunc.has_flags()) flags = kfunc.flags();
  KFUNCDB_RETURN_IF_ERROR(insert->BindAll(build.value(), name.value(), set_name, set_flags,
                                          owner.value(), flags, prototype.value(),
                                          absl::StrJoin(tags, ","),
                                          static_cast<int64_t>(kfunc.btf_id()), source));
  return insert->Run();
}

absl::Status InsertModulesAndDiagnostics(sqlite::Database& db, BuildRowId build,
                                         const BuildRecord& record) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * module,
      db.Prepared("INSERT INTO build_modules (build_id, name, path, vermagic_release, kfunc_count)"
                  " VALUES (?, ?, ?, ?, ?)"));
  for (const kfuncdb::v1::ModuleRecord& m : record.modules()) {
    KFUNCDB_RETURN_IF_ERROR(module->BindAll(build.value(), m.name(), m.path(),
                                            m.vermagic_release(),
                                            static_cast<int64_t>(m.kfunc_count())));
    if (absl::Status status = module->Run(); !status.ok()) {
      return absl::Status(status.code(), absl::StrCat("module ", m.name(), " (", m.path(),
                                                      "): ", status.message()));
    }
  }
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * diagnostic,
      db.Prepared("INSERT INTO build_diagnostics (build_id, origin, message) VALUES (?, ?, ?)"));
  for (const kfuncdb::v1::Diagnostic& d : record.diagnostics()) {
    KFUNCDB_RETURN_IF_ERROR(diagnostic->BindAll(build.value(), d.origin(), d.message()));
    KFUNCDB_RETURN_IF_ERROR(diagnostic->Run());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<WriteResult> BuildWriter::Write(const BuildRecord& record) {
  KFUNCDB_RETURN_IF_ERROR(ValidateRecord(record));
  KFUNCDB_ASSIGN_OR_RETURN(
      LineageAssignment lineage,
      AssignLineage(record.lineage(), {record.distribution(), record.release()}));

  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(db_));
  WriteResult result;
  KFUNCDB_ASSIGN_OR_RETURN(std::optional<BuildRowId> existing,
                           FindBuild(db_, record.content_sha256()));
  if (existing.has_value()) {
    result.build = *existing;
    result.already_present = true;
    KFUNCDB_ASSIGN_OR_RETURN(result.lineage, LineageNameOfBuild(db_, *existing));
    KFUNCDB_ASSIGN_OR_RETURN(result.counts, CountsOfStoredBuild(db_, *existing));
    return result;  // the read-only transaction rolls back: nothing changed
  }

  KFUNCDB_ASSIGN_OR_RETURN(LineageRowId lineage_row, LineageRow(db_, lineage));
  KFUNCDB_ASSIGN_OR_RETURN(result.build, InsertBuild(db_, record, lineage_row));
  RowInterner interner(db_);
  absl::flat_hash_set<std::string> distinct;
  for (const KfuncRecord& kfunc : record.kfuncs()) {
    KFUNCDB_RETURN_IF_ERROR(InsertKfunc(db_, interner, result.build, kfunc));
    distinct.insert(kfunc.name());
  }
  KFUNCDB_RETURN_IF_ERROR(InsertModulesAndDiagnostics(db_, result.build, record));
  KFUNCDB_RETURN_IF_ERROR(UpdateLifecycleForBuild(db_, result.build));
  KFUNCDB_RETURN_IF_ERROR(txn.Commit());

  result.lineage = lineage.name;
  result.counts = {record.kfuncs_size(), static_cast<int64_t>(distinct.size()),
                   record.modules_size(), record.diagnostics_size()};
  return result;
}

}  // namespace kfuncdb::store
