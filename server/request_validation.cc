#include "server/request_validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/lineage.h"

namespace kfuncdb::server {
namespace {

bool IsIdentifierChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// A request value as quoted in an error: C-escaped and cut to its first 64
// bytes, so that the status message (sent back as grpc-message metadata)
// stays small whatever the client sent; a 100 KB value echoed in full
// exceeded the client's metadata limit and came back as RESOURCE_EXHAUSTED.
std::string Quoted(std::string_view value) {
  constexpr size_t kShown = 64;
  if (value.size() <= kShown) return absl::CHexEscape(ToAbsl(value));
  return absl::StrCat(absl::CHexEscape(ToAbsl(value.substr(0, kShown))), "... (", value.size(),
                      " bytes)");
}

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), ": ", ToAbsl(what)));
}

// "6.1", "6.1.192": two to four dot-separated decimal numbers. Distribution
// points may carry a suffix after the numbers ("6.1.192+deb12"), which is
// accepted when made of [A-Za-z0-9.+~-].
bool IsWellFormedRelease(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  size_t end = name.find_first_not_of("0123456789.");
  std::string_view numbers = name.substr(0, end);
  std::vector<absl::string_view> parts = absl::StrSplit(ToAbsl(numbers), '.');
  if (parts.size() < 2 || parts.size() > 4) return false;
  for (absl::string_view part : parts) {
    if (part.empty()) return false;
  }
  if (end == std::string_view::npos) return true;
  for (char c : name.substr(end)) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '+' && c != '~' && c != '-') return false;
  }
  return true;
}

bool IsWellFormedLineage(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '+' && c != '-') return false;
  }
  return true;
}

}  // namespace

absl::Status ValidateKfuncName(std::string_view field, std::string_view name) {
  if (name.empty()) return Invalid(field, "required");
  if (absl::ascii_isdigit(name.front())) {
    return Invalid(field, absl::StrCat("'", Quoted(name), "' is not a C identifier (starts with a digit)"));
  }
  return ValidateOptionalIdentifier(field, name);
}

absl::Status ValidateOptionalIdentifier(std::string_view field, std::string_view value) {
  if (value.size() > kMaxKfuncNameLength) {
    return Invalid(field, absl::StrCat("longer than ", kMaxKfuncNameLength, " characters"));
  }
  for (char c : value) {
    if (!IsIdentifierChar(c)) {
      return Invalid(field, absl::StrCat("'", Quoted(value),
                                         "' has characters other than [A-Za-z0-9_]"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ValidatePageSize(std::string_view field, int32_t page_size) {
  if (page_size == 0) return kDefaultPageSize;
  if (page_size < 0 || page_size > kMaxPageSize) {
    return Invalid(field, absl::StrCat(page_size, " is outside 0..", kMaxPageSize,
                                       " (0 means ", kDefaultPageSize, ")"));
  }
  return page_size;
}

absl::StatusOr<const ServingLineage*> ResolveLineage(const ServingCatalog& catalog,
                                                     std::string_view field,
                                                     std::string_view name) {
  if (name.empty()) name = kMainlineLineage;
  if (!IsWellFormedLineage(name)) {
    return Invalid(field, absl::StrCat("'", Quoted(name),
                                       "' is not a lineage name ([A-Za-z0-9._+-], at most 64)"));
  }
  const ServingLineage* lineage = catalog.FindLineage(name);
  if (lineage == nullptr) {
    return Invalid(field, absl::StrCat("unknown lineage '", ToAbsl(name), "' (see ListLineages)"));
  }
  return lineage;
}

absl::StatusOr<const v1::Release*> ResolvePoint(const ServingLineage& lineage,
                                                std::string_view field, std::string_view name) {
  if (!IsWellFormedRelease(name)) {
    return Invalid(field, absl::StrCat("'", Quoted(name),
                                       "' is not a release name like 6.1 or 6.1.192"));
  }
  const v1::Release* point = lineage.FindPoint(name);
  if (point == nullptr) {
    return Invalid(field, absl::StrCat("release '", ToAbsl(name), "' is not a point of lineage '",
                                       lineage.proto.name(), "' (see ListReleases)"));
  }
  return point;
}

absl::StatusOr<const v1::Release*> ResolveRelease(const ServingCatalog& catalog,
                                                  std::string_view field, std::string_view name) {
  if (!IsWellFormedRelease(name)) {
    return Invalid(field, absl::StrCat("'", Quoted(name),
                                       "' is not a release name like 6.1"));
  }
  const v1::Release* release = catalog.FindRelease(name);
  if (release == nullptr) {
    return Invalid(field, absl::StrCat("release '", ToAbsl(name), "' is not in the release catalog"));
  }
  return release;
}

absl::Status ValidateDate(std::string_view field, std::string_view date) {
  absl::CivilDay day;
  if (date.size() != 10 || !absl::ParseCivilTime(ToAbsl(date), &day) ||
      absl::FormatCivilTime(day) != date) {
    return Invalid(field, absl::StrCat("'", Quoted(date), "' is not a date YYYY-MM-DD"));
  }
  return absl::OkStatus();
}

absl::Status ValidateSha256(std::string_view field, std::string_view digest) {
  if (digest.size() != 64) return Invalid(field, "not 64 hex digits");
  for (char c : digest) {
    if (!absl::ascii_isxdigit(c)) return Invalid(field, "not 64 hex digits");
  }
  return absl::OkStatus();
}

}  // namespace kfuncdb::server
