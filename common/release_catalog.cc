#include "common/release_catalog.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/absl_string_view.h"
#include "common/release_catalog_data.h"

namespace kfuncdb {
namespace {

// Confirmed releases whose gaps set the projection cadence.
constexpr int kCadenceSample = 8;
// Used when the catalog has fewer than two confirmed dates.
constexpr int kDefaultCadenceDays = 63;
// After x.19 the series continues at (x+1).0 (5.19 -> 6.0, 6.19 -> 7.0).
constexpr int kLastMinorOfSeries = 19;

std::optional<absl::CivilDay> ParseDate(absl::string_view text) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day)) return std::nullopt;
  return day;
}

ReleaseNumber NextInSeries(ReleaseNumber number) {
  if (number.minor >= kLastMinorOfSeries) return {number.major + 1, 0};
  return {number.major, number.minor + 1};
}

std::string NumberName(ReleaseNumber number) {
  return absl::StrCat(number.major, ".", number.minor);
}

// Median gap, in days, between consecutive confirmed dates among the last
// kCadenceSample + 1 confirmed releases.
int MedianCadence(const std::vector<ReleaseInfo>& known) {
  std::vector<absl::CivilDay> confirmed;
  for (const ReleaseInfo& release : known) {
    if (release.date && !release.date_approximate) confirmed.push_back(*release.date);
  }
  if (confirmed.size() < 2) return kDefaultCadenceDays;
  size_t first = confirmed.size() > kCadenceSample + 1 ? confirmed.size() - (kCadenceSample + 1) : 0;
  std::vector<int> gaps;
  for (size_t i = first + 1; i < confirmed.size(); ++i) {
    gaps.push_back(static_cast<int>(confirmed[i] - confirmed[i - 1]));
  }
  std::sort(gaps.begin(), gaps.end());
  size_t mid = gaps.size() / 2;
  // Even count: the lower middle, so the result is a whole number of days
  // and does not depend on rounding.
  return gaps.size() % 2 == 1 ? gaps[mid] : gaps[mid - 1];
}

absl::Status ValidateOrder(const std::vector<ReleaseInfo>& releases, const std::string& origin) {
  if (releases.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": the release catalog has no releases"));
  }
  absl::flat_hash_set<std::string> names;
  for (size_t i = 0; i < releases.size(); ++i) {
    const ReleaseInfo& release = releases[i];
    if (!ParseReleaseName(release.name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          origin, ": release name '", release.name, "' is not of the form major.minor"));
    }
    if (!names.insert(release.name).second) {
      return absl::InvalidArgumentError(absl::StrCat(origin, ": release '", release.name, "' listed twice"));
    }
    if (i == 0) continue;
    const ReleaseInfo& previous = releases[i - 1];
    if (*ParseReleaseName(previous.name) >= *ParseReleaseName(release.name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          origin, ": release '", release.name, "' follows '", previous.name, "' but is not newer"));
    }
    if (previous.date && release.date && *release.date < *previous.date) {
      return absl::InvalidArgumentError(absl::StrCat(
          origin, ": release '", release.name, "' is dated ", FormatReleaseDate(*release.date),
          ", before '", previous.name, "' (", FormatReleaseDate(*previous.date), ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string FormatReleaseDate(absl::CivilDay day) { return absl::FormatCivilTime(day); }

std::optional<ReleaseNumber> ParseReleaseName(std::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(ToAbsl(name), '.');
  auto all_digits = [](absl::string_view part) {
    return !part.empty() && part.size() <= 4 && part.find_first_not_of("0123456789") == absl::string_view::npos;
  };
  ReleaseNumber number;
  if (parts.size() != 2 || !all_digits(parts[0]) || !all_digits(parts[1]) ||
      !absl::SimpleAtoi(parts[0], &number.major) || !absl::SimpleAtoi(parts[1], &number.minor)) {
    return std::nullopt;
  }
  return number;
}

ReleaseCatalog::ReleaseCatalog(std::vector<ReleaseInfo> known)
    : known_(std::move(known)), cadence_days_(MedianCadence(known_)) {
  for (size_t i = 0; i < known_.size(); ++i) {
    known_[i].ordinal = ReleaseOrdinal(static_cast<int32_t>(i));
    known_[i].projected = false;
  }
}

absl::StatusOr<ReleaseCatalog> ReleaseCatalog::Parse(std::string_view text, std::string_view origin_view) {
  const std::string origin(origin_view);
  std::vector<ReleaseInfo> releases;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(ToAbsl(text), '\n')) {
    ++line_number;
    line = absl::StripSuffix(line, "\r");
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(origin, ":", line_number, ": ", what));
    };
    if (fields.size() < 2 || fields.size() > 3) {
      return error("expected 'name<TAB>date[<TAB>approximate]'");
    }
    ReleaseInfo release;
    release.name = std::string(fields[0]);
    if (!fields[1].empty()) {
      release.date = ParseDate(fields[1]);
      if (!release.date) return error(absl::StrCat("date '", fields[1], "' is not YYYY-MM-DD"));
    }
    if (fields.size() == 3) {
      if (fields[2] != "0" && fields[2] != "1") {
        return error(absl::StrCat("approximate must be 0 or 1, not '", fields[2], "'"));
      }
      release.date_approximate = fields[2] == "1";
    }
    releases.push_back(std::move(release));
  }
  if (absl::Status status = ValidateOrder(releases, origin); !status.ok()) return status;
  return ReleaseCatalog(std::move(releases));
}

absl::StatusOr<ReleaseCatalog> ReleaseCatalog::Embedded() {
  for (const embedded::EmbeddedFile& file : embedded::ReleaseCatalogFiles()) {
    if (file.name == "releases.tsv") return Parse(file.contents, "data/releases.tsv (built in)");
  }
  return absl::InternalError("data/releases.tsv was not built into this binary");
}

absl::StatusOr<ReleaseCatalog> ReleaseCatalog::FromReleases(std::vector<ReleaseInfo> releases) {
  std::erase_if(releases, [](const ReleaseInfo& release) { return release.projected; });
  if (absl::Status status = ValidateOrder(releases, "releases table"); !status.ok()) return status;
  return ReleaseCatalog(std::move(releases));
}

ReleaseInfo ReleaseCatalog::At(ReleaseOrdinal ordinal) const {
  int32_t index = std::max<int32_t>(ordinal.value(), 0);
  if (index < static_cast<int32_t>(known_.size())) return known_[index];
  const ReleaseInfo& last = known_.back();
  int32_t steps = index - last_known().value();
  ReleaseNumber number = *ParseReleaseName(last.name);
  for (int32_t i = 0; i < steps; ++i) number = NextInSeries(number);
  ReleaseInfo projected;
  projected.ordinal = ReleaseOrdinal(index);
  projected.name = NumberName(number);
  if (last.date) projected.date = *last.date + static_cast<int64_t>(steps) * cadence_days_;
  projected.date_approximate = true;
  projected.projected = true;
  return projected;
}

std::vector<ReleaseInfo> ReleaseCatalog::WithProjections(int projected_count) const {
  std::vector<ReleaseInfo> releases = known_;
  for (int i = 1; i <= projected_count; ++i) {
    releases.push_back(At(ReleaseOrdinal(last_known().value() + i)));
  }
  return releases;
}

std::optional<ReleaseOrdinal> ReleaseCatalog::Find(std::string_view name, int projection_limit) const {
  for (const ReleaseInfo& release : known_) {
    if (release.name == name) return release.ordinal;
  }
  for (int i = 1; i <= projection_limit; ++i) {
    ReleaseOrdinal ordinal(last_known().value() + i);
    if (At(ordinal).name == name) return ordinal;
  }
  return std::nullopt;
}

}  // namespace kfuncdb
