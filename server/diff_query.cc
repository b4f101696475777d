#include "server/diff_query.h"

#include <map>
#include <optional>
#include <string>

#include "common/status_macros.h"
#include "server/query_support.h"
#include "server/release_or_build.h"
#include "server/request_validation.h"

namespace kfuncdb::server {
namespace {

// One kfunc as a side of the diff saw it.
struct Observed {
  std::optional<uint32_t> flags;  // union over builds with known flags
  std::string prototype;          // the smallest, when builds disagree
  std::string signature_hash;
};
// Sorted by name, so the answer's lists come out sorted.
using Snapshot = std::map<std::string, Observed>;

absl::StatusOr<Snapshot> ReadSnapshot(const ReadContext& read, const ResolvedTarget& side) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * kfuncs,
      read.db.Prepared("SELECT n.name, bk.flags, p.prototype, p.signature_hash FROM build_kfuncs bk "
                       "JOIN names n ON n.id = bk.kfunc_name_id "
                       "JOIN prototypes p ON p.id = bk.prototype_id WHERE bk.build_id = ?1"));
  Snapshot snapshot;
  for (int64_t build_id : side.build_ids) {
    KFUNCDB_RETURN_IF_ERROR(kfuncs->BindAll(build_id));
    while (true) {
      KFUNCDB_ASSIGN_OR_RETURN(bool row, kfuncs->Step());
      if (!row) break;
      auto [it, inserted] = snapshot.try_emplace(kfuncs->ColumnString(0));
      Observed& observed = it->second;
      if (std::optional<int64_t> flags = kfuncs->ColumnOptionalInt64(1)) {
        observed.flags = observed.flags.value_or(0) | static_cast<uint32_t>(*flags);
      }
      std::string prototype = kfuncs->ColumnString(2);
      if (inserted || prototype < observed.prototype) {
        observed.prototype = std::move(prototype);
        observed.signature_hash = kfuncs->ColumnString(3);
      }
    }
    kfuncs->Reset();
  }
  return snapshot;
}

// Status of every kfunc of the lineage at `point`.
absl::StatusOr<std::map<std::string, v1::KfuncStatus>> ReadStatuses(const ReadContext& read,
                                                                    const ServingLineage& lineage,
                                                                    int64_t point) {
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * rows,
      read.db.Prepared("SELECT n.name, lc.introduced_in, "
                       "(SELECT status FROM kfunc_status_runs r WHERE r.lineage_id = lc.lineage_id "
                       " AND r.kfunc_name_id = lc.kfunc_name_id AND r.from_point <= ?2 AND r.to_point >= ?2) "
                       "FROM kfunc_lifecycle lc JOIN names n ON n.id = lc.kfunc_name_id "
                       "WHERE lc.lineage_id = ?1"));
  KFUNCDB_RETURN_IF_ERROR(rows->BindAll(lineage.id.value(), point));
  std::map<std::string, v1::KfuncStatus> statuses;
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, rows->Step());
    if (!row) break;
    std::optional<v1::KfuncStatus> run;
    if (!rows->ColumnIsNull(2)) {
      KFUNCDB_ASSIGN_OR_RETURN(run, KfuncStatusFromColumn(rows->ColumnText(2)));
    }
    statuses.emplace(rows->ColumnString(0), StatusAtPoint(run, rows->ColumnInt64(1), point));
  }
  rows->Reset();
  return statuses;
}

void AddFlags(const ServingCatalog& catalog, const std::string& release,
              std::optional<uint32_t> flags, google::protobuf::RepeatedPtrField<std::string>* names) {
  if (!flags) return;
  for (std::string& name : catalog.FlagNames(*flags, release)) names->Add(std::move(name));
}

}  // namespace

absl::Status DiffReleasesQuery::Run(const v1::DiffReleasesRequest& request, absl::Time deadline,
                                    v1::DiffReleasesResponse* response) const {
  if (!request.has_from()) return absl::InvalidArgumentError("DiffReleasesRequest.from: required");
  if (!request.has_to()) return absl::InvalidArgumentError("DiffReleasesRequest.to: required");
  return pool_.Read(deadline, [&](const ReadContext& read) -> absl::Status {
    KFUNCDB_ASSIGN_OR_RETURN(
        const ServingLineage* lineage,
        ResolveLineage(read.catalog, "DiffReleasesRequest.lineage", request.lineage()));
    KFUNCDB_ASSIGN_OR_RETURN(ResolvedTarget from,
                             ResolveTarget(read, *lineage, "DiffReleasesRequest.from", request.from()));
    KFUNCDB_ASSIGN_OR_RETURN(ResolvedTarget to,
                             ResolveTarget(read, *lineage, "DiffReleasesRequest.to", request.to()));
    KFUNCDB_ASSIGN_OR_RETURN(Snapshot before, ReadSnapshot(read, from));
    KFUNCDB_ASSIGN_OR_RETURN(Snapshot after, ReadSnapshot(read, to));

    v1::DiffReleasesResponse diff;
    *diff.mutable_lineage() = lineage->proto;
    if (from.point) *diff.mutable_from_release() = *from.point;
    if (to.point) *diff.mutable_to_release() = *to.point;
    for (const auto& [name, observed] : after) {
      if (!before.contains(name)) diff.add_added(name);
    }
    for (const auto& [name, was] : before) {
      auto it = after.find(name);
      if (it == after.end()) {
        diff.add_removed(name);
        continue;
      }
      const Observed& now = it->second;
      if (was.flags != now.flags) {
        v1::KfuncFlagsChange* change = diff.add_flags_changed();
        change->set_kfunc(name);
        if (was.flags) change->set_from_flags(*was.flags);
        if (now.flags) change->set_to_flags(*now.flags);
        AddFlags(read.catalog, from.mainline_release, was.flags, change->mutable_from_flag_names());
        AddFlags(read.catalog, to.mainline_release, now.flags, change->mutable_to_flag_names());
      }
      if (was.prototype != now.prototype) {
        v1::KfuncPrototypeChange* change = diff.add_prototype_changed();
        change->set_kfunc(name);
        change->set_from_prototype(was.prototype);
        change->set_to_prototype(now.prototype);
        change->set_signature_changed(was.signature_hash != now.signature_hash);
      }
    }
    if (from.point && to.point) {
      KFUNCDB_ASSIGN_OR_RETURN(auto statuses_before, ReadStatuses(read, *lineage, from.point->ordinal()));
      KFUNCDB_ASSIGN_OR_RETURN(auto statuses_after, ReadStatuses(read, *lineage, to.point->ordinal()));
      // Both maps hold every kfunc of the lineage (same snapshot).
      for (const auto& [name, status] : statuses_before) {
        auto it = statuses_after.find(name);
        if (it == statuses_after.end() || it->second == status) continue;
        v1::KfuncStatusChange* change = diff.add_status_changed();
        change->set_kfunc(name);
        change->set_from_status(status);
        change->set_to_status(it->second);
      }
    }
    *response = std::move(diff);
    return absl::OkStatus();
  });
}

}  // namespace kfuncdb::server
