#include "ingest/store/lifecycle_settings.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "common/sqlite/statement.h"
#include "common/status_macros.h"

namespace kfuncdb::store {
namespace {

constexpr int kMinimumProjectedReleases = 24;
constexpr int kMaxWindowReleases = 100;

absl::StatusOr<std::optional<ReleaseOrdinal>> ResolveRuleRelease(const ReleaseCatalog& catalog,
                                                                  const std::optional<std::string>& name,
                                                                  int projection_limit) {
  if (!name) return std::optional<ReleaseOrdinal>();
  std::optional<ReleaseOrdinal> ordinal = catalog.Find(*name, projection_limit);
  if (!ordinal) {
    return absl::FailedPreconditionError(
        absl::StrCat("policy_flag_bits: release '", *name, "' is not in the release catalog"));
  }
  return ordinal;
}

}  // namespace

int ProjectedReleaseCount(const LifecyclePolicy& policy) {
  return std::max(kMinimumProjectedReleases, kProjectedReleasesAcceptedForBuilds + policy.window_releases + 1);
}

absl::Status WriteReleaseRows(sqlite::Database& db, const ReleaseCatalog& catalog, const LifecyclePolicy& policy) {
  KFUNCDB_RETURN_IF_ERROR(db.Execute("DELETE FROM releases"));
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * insert,
      db.Prepared("INSERT INTO releases (ordinal, name, date, date_approximate, projected) VALUES (?, ?, ?, ?, ?)"));
  for (const ReleaseInfo& release : catalog.WithProjections(ProjectedReleaseCount(policy))) {
    std::optional<std::string> date;
    if (release.date) date = FormatReleaseDate(*release.date);
    KFUNCDB_RETURN_IF_ERROR(insert->BindAll(release.ordinal.value(), release.name, date,
                                            release.date_approximate, release.projected));
    KFUNCDB_RETURN_IF_ERROR(insert->Run());
  }
  return absl::OkStatus();
}

absl::Status EnsureReleaseCatalog(sqlite::Database& db) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * count, db.Prepared("SELECT count(*) FROM releases"));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, count->Step());
  const bool empty = row && count->ColumnInt64(0) == 0;
  count->Reset();
  if (!empty) return absl::OkStatus();
  KFUNCDB_ASSIGN_OR_RETURN(ReleaseCatalog catalog, ReleaseCatalog::Embedded());
  KFUNCDB_ASSIGN_OR_RETURN(LifecyclePolicy policy, LoadLifecyclePolicy(db, catalog));
  return WriteReleaseRows(db, catalog, policy);
}

absl::StatusOr<ReleaseCatalog> LoadReleaseCatalog(sqlite::Database& db) {
  KFUNCDB_RETURN_IF_ERROR(EnsureReleaseCatalog(db));
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * select,
      db.Prepared("SELECT name, date, date_approximate, projected FROM releases ORDER BY ordinal"));
  std::vector<ReleaseInfo> releases;
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    ReleaseInfo release;
    release.ordinal = ReleaseOrdinal(static_cast<int32_t>(releases.size()));
    release.name = select->ColumnString(0);
    if (std::optional<std::string> date = select->ColumnOptionalString(1)) {
      absl::CivilDay day;
      if (!absl::ParseCivilTime(*date, &day)) {
        select->Reset();
        return absl::DataLossError(absl::StrCat("releases: date '", *date, "' of ", release.name,
                                                " is not YYYY-MM-DD in ", db.path().string()));
      }
      release.date = day;
    }
    release.date_approximate = select->ColumnInt64(2) != 0;
    release.projected = select->ColumnInt64(3) != 0;
    releases.push_back(std::move(release));
  }
  return ReleaseCatalog::FromReleases(std::move(releases));
}

absl::StatusOr<LifecyclePolicy> LoadLifecyclePolicy(sqlite::Database& db, const ReleaseCatalog& catalog) {
  LifecyclePolicy policy;
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * window,
                           db.Prepared("SELECT value FROM policy WHERE key = 'window_releases'"));
  KFUNCDB_ASSIGN_OR_RETURN(bool has_window, window->Step());
  if (has_window) {
    std::string value = window->ColumnString(0);
    window->Reset();
    if (!absl::SimpleAtoi(value, &policy.window_releases) || policy.window_releases < 1 ||
        policy.window_releases > kMaxWindowReleases) {
      return absl::FailedPreconditionError(
          absl::StrCat("policy.window_releases is '", value, "', not a number from 1 to ", kMaxWindowReleases));
    }
  }
  // Release names in rules may be projected ones; resolve them against as
  // many projected releases as the table can hold.
  const int projection_limit = kMinimumProjectedReleases + kMaxWindowReleases;
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * rules,
      db.Prepared("SELECT from_release, to_release, stable_bit, deprecated_bit FROM policy_flag_bits ORDER BY id"));
  while (true) {
    KFUNCDB_ASSIGN_OR_RETURN(bool row, rules->Step());
    if (!row) break;
    std::optional<std::string> from_name = rules->ColumnOptionalString(0);
    std::optional<std::string> to_name = rules->ColumnOptionalString(1);
    FlagBitsRule rule;
    rule.stable_bit = static_cast<int>(rules->ColumnInt64(2));
    rule.deprecated_bit = static_cast<int>(rules->ColumnInt64(3));
    absl::StatusOr<std::optional<ReleaseOrdinal>> from = ResolveRuleRelease(catalog, from_name, projection_limit);
    absl::StatusOr<std::optional<ReleaseOrdinal>> to = ResolveRuleRelease(catalog, to_name, projection_limit);
    if (!from.ok() || !to.ok()) {
      rules->Reset();
      return from.ok() ? to.status() : from.status();
    }
    rule.from = *from;
    rule.to = *to;
    policy.flag_bits.push_back(rule);
  }
  return policy;
}

absl::Status WritePolicyChange(sqlite::Database& db, const PolicyChange& change) {
  if (change.window_releases) {
    if (*change.window_releases < 1 || *change.window_releases > kMaxWindowReleases) {
      return absl::InvalidArgumentError(
          absl::StrCat("window must be from 1 to ", kMaxWindowReleases, " releases, not ", *change.window_releases));
    }
    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * upsert,
        db.Prepared("INSERT INTO policy (key, value) VALUES ('window_releases', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    KFUNCDB_RETURN_IF_ERROR(upsert->BindAll(absl::StrCat(*change.window_releases)));
    KFUNCDB_RETURN_IF_ERROR(upsert->Run());
  }
  if (change.flag_bits) {
    const PolicyChange::FlagBits& bits = *change.flag_bits;
    for (int bit : {bits.stable_bit, bits.deprecated_bit}) {
      if (bit < 0 || bit > 31) return absl::InvalidArgumentError(absl::StrCat("bit ", bit, " is not in 0..31"));
    }
    if (bits.stable_bit == bits.deprecated_bit) {
      return absl::InvalidArgumentError("KF_STABLE and KF_DEPRECATED need different bits");
    }
    KFUNCDB_ASSIGN_OR_RETURN(ReleaseCatalog catalog, LoadReleaseCatalog(db));
    std::optional<std::string> from, to;
    if (!bits.from_release.empty()) from = bits.from_release;
    if (!bits.to_release.empty()) to = bits.to_release;
    for (const std::optional<std::string>& name : {from, to}) {
      if (name && !catalog.Find(*name, kMinimumProjectedReleases)) {
        return absl::InvalidArgumentError(absl::StrCat("release '", *name, "' is not in the release catalog"));
      }
    }
    KFUNCDB_ASSIGN_OR_RETURN(
        sqlite::Statement * insert,
        db.Prepared("INSERT INTO policy_flag_bits (from_release, to_release, stable_bit, deprecated_bit) "
                    "VALUES (?, ?, ?, ?)"));
    KFUNCDB_RETURN_IF_ERROR(insert->BindAll(from, to, bits.stable_bit, bits.deprecated_bit));
    KFUNCDB_RETURN_IF_ERROR(insert->Run());
  }
  return absl::OkStatus();
}

}  // namespace kfuncdb::store
