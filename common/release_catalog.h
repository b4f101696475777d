// ReleaseCatalog: mainline kernel releases in order, with dates, and the
// projection of releases after the last known one.
//
// Release arithmetic ("the release ten positions after 6.3") is done on
// positions in this catalog (ReleaseOrdinal), never on version numbers:
// 4.19 was followed by 4.20, but 5.19 and 6.19 by 5.0 and 7.0.
//
// The catalog comes from a tab-separated file (data/releases.tsv is built into
// the binaries; `kfuncdb-ingest releases import FILE` replaces it in a
// database). Positions past the last row are *projected*: the name continues
// the series (x.(y+1), and (x+1).0 after x.19) and the date adds the median
// gap between the last eight confirmed (not approximate) releases. Every
// projected value is marked as such.
//
// A ReleaseCatalog is immutable after construction, so one instance may be
// shared across threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/strong_id.h"

namespace kfuncdb {

struct ReleaseInfo {
  ReleaseOrdinal ordinal;
  std::string name;                     // "6.1"
  std::optional<absl::CivilDay> date;   // final release; nullopt: unknown
  bool date_approximate = false;        // an estimate (always so when projected)
  bool projected = false;               // past the catalog's last row
};

// "YYYY-MM-DD", the format of the catalog file and of the releases table.
std::string FormatReleaseDate(absl::CivilDay day);

class ReleaseCatalog {
 public:
  // Parses the catalog format: '#' comments and blank lines ignored; each
  // other line "name<TAB>date<TAB>approximate" where name is "major.minor",
  // date is YYYY-MM-DD or empty (unknown), approximate is 0 or 1 (optional,
  // default 0). Names must be unique and in increasing version order, dates
  // non-decreasing. Errors name `origin` and the line.
  static absl::StatusOr<ReleaseCatalog> Parse(std::string_view text, std::string_view origin);

  // The catalog built into the binary from data/releases.tsv. Fails only if
  // the build embedded a broken file (the test suite parses it).
  static absl::StatusOr<ReleaseCatalog> Embedded();

  // Builds a catalog from rows already validated elsewhere (the releases
  // table); rows with `projected` set are dropped, since projection is
  // recomputed. Fails on an empty list, duplicate or unparsable names.
  static absl::StatusOr<ReleaseCatalog> FromReleases(std::vector<ReleaseInfo> releases);

  // Known (not projected) releases, oldest first; ordinal i at index i.
  const std::vector<ReleaseInfo>& known() const { return known_; }
  ReleaseOrdinal last_known() const { return ReleaseOrdinal(static_cast<int32_t>(known_.size()) - 1); }

  // The release at `ordinal`: a known one, or a projection past the end.
  // Ordinals below 0 are clamped to 0 (there is nothing before the catalog).
  ReleaseInfo At(ReleaseOrdinal ordinal) const;

  // The known releases followed by `projected_count` projected ones.
  std::vector<ReleaseInfo> WithProjections(int projected_count) const;

  // Ordinal of the release named `name`: a known one, or one of the first
  // `projection_limit` projected names. nullopt when neither.
  std::optional<ReleaseOrdinal> Find(std::string_view name, int projection_limit) const;

  // Days between releases used for projected dates.
  int cadence_days() const { return cadence_days_; }

 private:
  explicit ReleaseCatalog(std::vector<ReleaseInfo> known);

  std::vector<ReleaseInfo> known_;
  int cadence_days_ = 63;
};

// "x.y" -> {x, y}; nullopt when `name` is not two dot-separated numbers.
struct ReleaseNumber {
  int major = 0;
  int minor = 0;
  auto operator<=>(const ReleaseNumber&) const = default;
};
std::optional<ReleaseNumber> ParseReleaseName(std::string_view name);

}  // namespace kfuncdb
