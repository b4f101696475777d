#include "server/kfunc_queries.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "common/kfunc_flags.h"
#include "common/status_macros.h"
#include "server/lifecycle_row.h"
#include "server/page_token.h"
#include "server/query_support.h"
#include "server/request_validation.h"

namespace kfuncdb::server {
namespace {

void SetRange(const ServingLineage& lineage, int64_t first, int64_t last, v1::ReleaseRange* out) {
  SetPointRef(lineage, first, out->mutable_first());
  SetPointRef(lineage, last, out->mutable_last());
}

// The flag history entries for one stored run of an unchanged flags word
// over points [first, last]. A bit can change meaning between releases
// (bit 3 is KF_KPTR_GET only up to 6.3), so the run is cut wherever the
// decoded names change: each entry's names hold for all of its releases.
// Unknown flags (raw BTF) make one entry without a word or names. DataLoss
// when the run covers no point of the lineage (breaks the schema contract).
absl::Status AddFlagRuns(const ServingCatalog& catalog, const ServingLineage& lineage,
                         int64_t first, int64_t last, std::optional<int64_t> flags,
                         v1::Kfunc* kfunc) {
  if (!flags) {
    SetRange(lineage, first, last, kfunc->add_flag_history()->mutable_range());
    return absl::OkStatus();
  }
  const uint32_t word = static_cast<uint32_t>(*flags);
  v1::FlagRun* run = nullptr;
  std::vector<std::string> run_names;
  int64_t previous = first;
  for (const v1::Release& point : lineage.points) {
    if (point.ordinal() < first || point.ordinal() > last) continue;
    std::vector<std::string> names = catalog.FlagNames(word, point.mainline_release());
    if (run == nullptr || names != run_names) {
      if (run != nullptr) SetPointRef(lineage, previous, run->mutable_range()->mutable_last());
      run = kfunc->add_flag_history();
      run->set_flags(word);
      SetPointRef(lineage, point.ordinal(), run->mutable_range()->mutable_first());
      for (const std::string& name : names) run->add_flag_names(name);
      run_names = std::move(names);
    }
    previous = point.ordinal();
  }
  if (run == nullptr) {
    return absl::DataLossError(absl::StrCat("kfunc_flag_runs: run ", first, "..", last,
                                            " names no point of lineage ", lineage.proto.name()));
  }
  SetPointRef(lineage, previous, run->mutable_range()->mutable_last());
  return absl::OkStatus();
}

// Status, flag and prototype runs of one kfunc, oldest first.
absl::Status ReadHistory(const ReadContext& read, const ServingLineage& lineage,
                         int64_t name_id, v1::Kfunc* kfunc) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * status_runs,
      read.db.Prepared("SELECT from_point, to_point, status FROM kfunc_status_runs "
                       "WHERE lineage_id = ?1 AND kfunc_name_id = ?2 ORDER BY from_point"));
  KFUNCDB_RETURN_IF_ERROR(status_runs->BindAll(lineage.id.value(), name_id));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, status_runs->Step());
    if (!row) break;
    v1::StatusRun* run = kfunc->add_status_history();
    SetRange(lineage, status_runs->ColumnInt64(0), status_runs->ColumnInt64(1), run->mutable_range());
    KFUNCDB_ASSIGN_OR_RETURN(v1::KfuncStatus status, KfuncStatusFromColumn(status_runs->ColumnText(2)));
    run->set_status(status);
  }

  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * flag_runs,
      read.db.Prepared("SELECT from_point, to_point, flags FROM kfunc_flag_runs "
                       "WHERE lineage_id = ?1 AND kfunc_name_id = ?2 ORDER BY from_point"));
  KFUNCDB_RETURN_IF_ERROR(flag_runs->BindAll(lineage.id.value(), name_id));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, flag_runs->Step());
    if (!row) break;
    KFUNCDB_RETURN_IF_ERROR(AddFlagRuns(read.catalog, lineage, flag_runs->ColumnInt64(0),
                                        flag_runs->ColumnInt64(1),
                                        flag_runs->ColumnOptionalInt64(2), kfunc));
  }

  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * prototype_runs,
      read.db.Prepared("SELECT r.from_point, r.to_point, p.prototype, p.signature_hash "
                       "FROM kfunc_prototype_runs r JOIN prototypes p ON p.id = r.prototype_id "
                       "WHERE r.lineage_id = ?1 AND r.kfunc_name_id = ?2 ORDER BY r.from_point"));
  KFUNCDB_RETURN_IF_ERROR(prototype_runs->BindAll(lineage.id.value(), name_id));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, prototype_runs->Step());
    if (!row) break;
    v1::PrototypeRun* run = kfunc->add_prototype_history();
    SetRange(lineage, prototype_runs->ColumnInt64(0), prototype_runs->ColumnInt64(1),
             run->mutable_range());
    run->set_prototype(prototype_runs->ColumnString(2));
    run->set_signature_hash(prototype_runs->ColumnString(3));
  }
  return absl::OkStatus();
}

// Sets and owners over the lineage's builds, and per-variant availability.
absl::Status ReadWhereSeen(const ReadContext& read, const ServingLineage& lineage,
                           int64_t name_id, v1::Kfunc* kfunc) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * sets,
      read.db.Prepared("SELECT DISTINCT coalesce(s.name, ''), o.name FROM build_kfuncs bk "
                       "JOIN lineage_builds lb ON lb.build_id = bk.build_id AND lb.lineage_id = ?1 "
                       "LEFT JOIN names s ON s.id = bk.set_name_id "
                       "JOIN names o ON o.id = bk.owner_name_id "
                       "WHERE bk.kfunc_name_id = ?2 ORDER BY 1, 2"));
  KFUNCDB_RETURN_IF_ERROR(sets->BindAll(lineage.id.value(), name_id));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, sets->Step());
    if (!row) break;
    v1::SetMembership* set = kfunc->add_sets();
    set->set_set_name(sets->ColumnString(0));
    set->set_owner(sets->ColumnString(1));
  }

  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * availability,
      read.db.Prepared("SELECT arch, flavour, first_point, last_point FROM kfunc_availability "
                       "WHERE lineage_id = ?1 AND kfunc_name_id = ?2 ORDER BY arch, flavour"));
  KFUNCDB_RETURN_IF_ERROR(availability->BindAll(lineage.id.value(), name_id));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, availability->Step());
    if (!row) break;
    v1::Availability* entry = kfunc->add_availability();
    entry->set_arch(availability->ColumnString(0));
    entry->set_flavour(availability->ColumnString(1));
    SetRange(lineage, availability->ColumnInt64(2), availability->ColumnInt64(3), entry->mutable_range());
  }
  return absl::OkStatus();
}

absl::Status ReadProblems(const ReadContext& read, const ServingLineage& lineage,
                          int64_t name_id, v1::Kfunc* kfunc) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * violations,
      read.db.Prepared("SELECT kind, point, detail FROM violations "
                       "WHERE lineage_id = ?1 AND kfunc_name_id = ?2 ORDER BY point, id"));
  KFUNCDB_RETURN_IF_ERROR(violations->BindAll(lineage.id.value(), name_id));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, violations->Step());
    if (!row) break;
    v1::Violation* violation = kfunc->add_violations();
    violation->set_kfunc(kfunc->name());
    KFUNCDB_ASSIGN_OR_RETURN(v1::ViolationKind kind, ViolationKindFromColumn(violations->ColumnText(0)));
    violation->set_kind(kind);
    SetPoint(lineage, violations->ColumnInt64(1), violation->mutable_release());
    violation->set_detail(violations->ColumnString(2));
  }

  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * conflicts,
      read.db.Prepared("SELECT kind, point, detail FROM conflicts "
                       "WHERE lineage_id = ?1 AND kfunc_name_id = ?2 ORDER BY point, id"));
  KFUNCDB_RETURN_IF_ERROR(conflicts->BindAll(lineage.id.value(), name_id));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, conflicts->Step());
    if (!row) break;
    v1::Conflict* conflict = kfunc->add_conflicts();
    conflict->set_kfunc(kfunc->name());
    KFUNCDB_ASSIGN_OR_RETURN(v1::ConflictKind kind, ConflictKindFromColumn(conflicts->ColumnText(0)));
    conflict->set_kind(kind);
    SetPoint(lineage, conflicts->ColumnInt64(1), conflict->mutable_release());
    conflict->set_detail(conflicts->ColumnString(2));
  }
  return absl::OkStatus();
}

// Every flag name a filter may ask for: the upstream table's and the
// proposal's.
bool IsKnownFlagName(std::string_view name) {
  if (name == "KF_STABLE" || name == "KF_DEPRECATED") return true;
  for (const KfuncFlagBit& bit : UpstreamKfuncFlagBits()) {
    if (bit.name == name) return true;
  }
  return false;
}

// The first name after `prefix` in byte order that does not start with it;
// nullopt for an empty prefix. Prefixes are identifiers, so the last byte is
// never 0xff.
std::optional<std::string> PrefixEnd(std::string_view prefix) {
  if (prefix.empty()) return std::nullopt;
  std::string end(prefix);
  end.back() = static_cast<char>(end.back() + 1);
  return end;
}

// GetKfunc's answer, read from the lifecycle tables.
absl::Status ReadKfunc(const ReadContext& read, const v1::GetKfuncRequest& request, v1::Kfunc* kfunc) {
  KFUNCDB_ASSIGN_OR_RETURN(const ServingLineage* lineage,
                           ResolveLineage(read.catalog, "GetKfuncRequest.lineage", request.lineage()));
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * lifecycle,
      read.db.Prepared("SELECT" KFUNCDB_LIFECYCLE_COLUMNS
                       "FROM kfunc_lifecycle lc JOIN names n ON n.id = lc.kfunc_name_id "
                       "WHERE lc.lineage_id = ?1 AND n.name = ?2"));
  KFUNCDB_RETURN_IF_ERROR(lifecycle->BindAll(lineage->id.value(), request.name()));
  KFUNCDB_ASSIGN_OR_RETURN(bool found, lifecycle->Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat("kfunc '", request.name(), "' was never seen in lineage '",
                                            lineage->proto.name(), "'"));
  }
  KFUNCDB_ASSIGN_OR_RETURN(LifecycleRow row, ReadLifecycleRow(*lifecycle, 0));
  lifecycle->Reset();

  kfunc->set_name(request.name());
  *kfunc->mutable_lineage() = lineage->proto;
  LifecycleToProto(row, *lineage, read.catalog, kfunc->mutable_lifecycle());
  kfunc->set_status(row.status);
  if (lineage->newest_with_builds) {
    *kfunc->mutable_status_at() = lineage->points[*lineage->newest_with_builds];
  }
  KFUNCDB_RETURN_IF_ERROR(ReadHistory(read, *lineage, row.kfunc_name_id, kfunc));
  KFUNCDB_RETURN_IF_ERROR(ReadWhereSeen(read, *lineage, row.kfunc_name_id, kfunc));
  return ReadProblems(read, *lineage, row.kfunc_name_id, kfunc);
}

}  // namespace

absl::StatusOr<SerializedAnswer> GetKfuncQuery::RunSerialized(const v1::GetKfuncRequest& request,
                                                              absl::Time deadline) const {
  KFUNCDB_RETURN_IF_ERROR(ValidateKfuncName("GetKfuncRequest.name", request.name()));
  return pool_.ReadCached(deadline, AnswerKey(kAnswerKeyMethod, request), [&](const ReadContext& read) {
    return SerializeAnswer<v1::Kfunc>([&](v1::Kfunc* kfunc) { return ReadKfunc(read, request, kfunc); });
  });
}

absl::Status GetKfuncQuery::Run(const v1::GetKfuncRequest& request, absl::Time deadline,
                                v1::Kfunc* response) const {
  KFUNCDB_ASSIGN_OR_RETURN(SerializedAnswer answer, RunSerialized(request, deadline));
  return ParseAnswer(answer, response);
}

absl::Status ListKfuncsQuery::Run(const v1::ListKfuncsRequest& request, absl::Time deadline,
                                  v1::ListKfuncsResponse* response) const {
  KFUNCDB_ASSIGN_OR_RETURN(int page_size, ValidatePageSize("ListKfuncsRequest.page_size", request.page_size()));
  KFUNCDB_RETURN_IF_ERROR(ValidateOptionalIdentifier("ListKfuncsRequest.name_prefix", request.name_prefix()));
  KFUNCDB_RETURN_IF_ERROR(ValidateOptionalIdentifier("ListKfuncsRequest.set_name", request.set_name()));
  if (!request.owner().empty()) {
    // Module names may contain '-' in .modinfo but are normalised to '_'.
    KFUNCDB_RETURN_IF_ERROR(ValidateOptionalIdentifier("ListKfuncsRequest.owner", request.owner()));
  }
  if (!request.flag().empty() && !IsKnownFlagName(request.flag())) {
    return absl::InvalidArgumentError(
        absl::StrCat("ListKfuncsRequest.flag: unknown flag '", absl::CHexEscape(request.flag()),
                     "' (KF_ACQUIRE, KF_STABLE...)"));
  }
  if (!v1::KfuncStatus_IsValid(request.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("ListKfuncsRequest.status: unknown value ", request.status()));
  }
  const std::string fingerprint = RequestFingerprint(
      {"ListKfuncs", request.lineage(), absl::StrCat(request.status()), request.at_release(),
       request.flag(), request.set_name(), request.owner(), request.name_prefix()});
  KFUNCDB_ASSIGN_OR_RETURN(std::string after,
                           DecodePageToken("ListKfuncsRequest.page_token", request.page_token(), fingerprint));

  return pool_.Read(deadline, [&](const ReadContext& read) -> absl::Status {
    KFUNCDB_ASSIGN_OR_RETURN(const ServingLineage* lineage,
                             ResolveLineage(read.catalog, "ListKfuncsRequest.lineage", request.lineage()));
    v1::ListKfuncsResponse page;
    *page.mutable_lineage() = lineage->proto;
    if (!request.at_release().empty()) {
      KFUNCDB_ASSIGN_OR_RETURN(const v1::Release* at,
                               ResolvePoint(*lineage, "ListKfuncsRequest.at_release", request.at_release()));
      *page.mutable_at_release() = *at;
    } else if (lineage->newest_with_builds) {
      *page.mutable_at_release() = lineage->points[*lineage->newest_with_builds];
    } else {
      *response = std::move(page);  // an empty lineage has no kfuncs
      return absl::OkStatus();
    }
    const int64_t at = page.at_release().ordinal();

    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * kfuncs,
        read.db.Prepared(
            "SELECT n.name, lc.introduced_in, lc.deprecated_since, lc.window_end_release, "
            "(SELECT status FROM kfunc_status_runs r WHERE r.lineage_id = lc.lineage_id AND "
            " r.kfunc_name_id = lc.kfunc_name_id AND r.from_point <= ?2 AND r.to_point >= ?2), "
            "(SELECT flags FROM kfunc_flag_runs r WHERE r.lineage_id = lc.lineage_id AND "
            " r.kfunc_name_id = lc.kfunc_name_id AND r.from_point <= ?2 AND r.to_point >= ?2) "
            "FROM kfunc_lifecycle lc JOIN names n ON n.id = lc.kfunc_name_id "
            "WHERE lc.lineage_id = ?1 AND n.name > ?3 AND n.name >= ?4 AND (?5 IS NULL OR n.name < ?5) "
            "AND (?6 IS NULL OR EXISTS (SELECT 1 FROM build_kfuncs bk "
            " JOIN lineage_builds lb ON lb.build_id = bk.build_id AND lb.lineage_id = ?1 "
            " JOIN names s ON s.id = bk.set_name_id "
            " WHERE bk.kfunc_name_id = lc.kfunc_name_id AND s.name = ?6)) "
            "AND (?7 IS NULL OR EXISTS (SELECT 1 FROM build_kfuncs bk "
            " JOIN lineage_builds lb ON lb.build_id = bk.build_id AND lb.lineage_id = ?1 "
            " JOIN names o ON o.id = bk.owner_name_id "
            " WHERE bk.kfunc_name_id = lc.kfunc_name_id AND o.name = ?7)) "
            "ORDER BY n.name"));
    auto optional_filter = [](const std::string& value) {
      return value.empty() ? std::nullopt : std::optional<std::string>(value);
    };
    KFUNCDB_RETURN_IF_ERROR(kfuncs->BindAll(
        lineage->id.value(), at, after, request.name_prefix(),
        PrefixEnd(request.name_prefix()), optional_filter(request.set_name()),
        optional_filter(request.owner())));
    while (true) {
      KFUNCDB_ASSIGN_OR_RETURN(bool row, kfuncs->Step());
      if (!row) break;
      std::optional<v1::KfuncStatus> run_status;
      if (!kfuncs->ColumnIsNull(4)) {
        KFUNCDB_ASSIGN_OR_RETURN(run_status, KfuncStatusFromColumn(kfuncs->ColumnText(4)));
      }
      const v1::KfuncStatus status = StatusAtPoint(run_status, kfuncs->ColumnInt64(1), at);
      if (request.status() == v1::KFUNC_STATUS_UNSPECIFIED
              ? status == v1::KFUNC_STATUS_NOT_YET_INTRODUCED
              : status != request.status()) {
        continue;
      }
      const std::optional<int64_t> flags = kfuncs->ColumnOptionalInt64(5);
      std::vector<std::string> flag_names;
      if (flags) {
        flag_names = read.catalog.FlagNames(static_cast<uint32_t>(*flags), page.at_release().mainline_release());
      }
      if (!request.flag().empty() &&
          std::find(flag_names.begin(), flag_names.end(), request.flag()) == flag_names.end()) {
        continue;
      }
      if (page.kfuncs_size() == page_size) {
        page.set_next_page_token(EncodePageToken(fingerprint, page.kfuncs().rbegin()->name()));
        break;
      }
      v1::KfuncSummary* summary = page.add_kfuncs();
      summary->set_name(kfuncs->ColumnString(0));
      summary->set_status(status);
      if (flags) summary->set_flags(static_cast<uint32_t>(*flags));
      for (std::string& name : flag_names) summary->add_flag_names(std::move(name));
      SetPoint(*lineage, kfuncs->ColumnInt64(1), summary->mutable_introduced_in());
      if (std::optional<int64_t> since = kfuncs->ColumnOptionalInt64(2)) {
        SetPoint(*lineage, *since, summary->mutable_deprecated_since());
      }
      if (std::optional<int64_t> end = kfuncs->ColumnOptionalInt64(3)) {
        SetCatalogRelease(read.catalog, *end, summary->mutable_window_end());
      }
    }
    kfuncs->Reset();
    *response = std::move(page);
    return absl::OkStatus();
  });
}

absl::Status ListDeprecationsQuery::Run(const v1::ListDeprecationsRequest& request,
                                        absl::Time deadline,
                                        std::vector<v1::Deprecation>* response) const {
  if (request.has_date()) {
    KFUNCDB_RETURN_IF_ERROR(ValidateDate("ListDeprecationsRequest.date", request.date()));
  }
  return pool_.Read(deadline, [&](const ReadContext& read) -> absl::Status {
    KFUNCDB_ASSIGN_OR_RETURN(
        const ServingLineage* lineage,
        ResolveLineage(read.catalog, "ListDeprecationsRequest.lineage", request.lineage()));
    std::optional<int64_t> before_release;
    if (request.has_release()) {
      KFUNCDB_ASSIGN_OR_RETURN(const v1::Release* release,
                               ResolveRelease(read.catalog, "ListDeprecationsRequest.release", request.release()));
      before_release = release->ordinal();
    }
    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * rows,
        read.db.Prepared("SELECT n.name," KFUNCDB_LIFECYCLE_COLUMNS
                         "FROM kfunc_lifecycle lc JOIN names n ON n.id = lc.kfunc_name_id "
                         "WHERE lc.lineage_id = ?1 AND lc.deprecated_since IS NOT NULL "
                         "AND (?2 = 1 OR lc.status != 'removed') "
                         "AND (?3 IS NULL OR lc.window_end_release < ?3) "
                         "ORDER BY lc.window_end_release, n.name"));
    KFUNCDB_RETURN_IF_ERROR(rows->BindAll(lineage->id.value(), request.include_removed(), before_release));
    std::vector<v1::Deprecation> calendar;
    while (true) {
      KFUNCDB_ASSIGN_OR_RETURN(bool row, rows->Step());
      if (!row) break;
      KFUNCDB_ASSIGN_OR_RETURN(LifecycleRow lifecycle, ReadLifecycleRow(*rows, 1));
      v1::Lifecycle fields;
      LifecycleToProto(lifecycle, *lineage, read.catalog, &fields);
      // Dates compare as strings in YYYY-MM-DD; a window end without a
      // date cannot be said to come before anything.
      if (request.has_date() &&
          (fields.window_end().date().empty() || fields.window_end().date() >= request.date())) {
        continue;
      }
      v1::Deprecation& entry = calendar.emplace_back();
      *entry.mutable_lineage() = lineage->proto;
      entry.set_kfunc(rows->ColumnString(0));
      entry.set_status(lifecycle.status);
      *entry.mutable_deprecated_since() = std::move(*fields.mutable_deprecated_since());
      if (fields.has_window_end()) *entry.mutable_window_end() = std::move(*fields.mutable_window_end());
      if (fields.has_earliest_removal()) {
        *entry.mutable_earliest_removal() = std::move(*fields.mutable_earliest_removal());
      }
      if (fields.has_removed_in()) *entry.mutable_removed_in() = std::move(*fields.mutable_removed_in());
    }
    rows->Reset();
    *response = std::move(calendar);
    return absl::OkStatus();
  });
}

}  // namespace kfuncdb::server
