#include "client/display_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace kfuncdb::client {
namespace {

// "KFUNC_STATUS_NOT_YET_INTRODUCED" -> "not-yet-introduced".
std::string Shorten(const std::string& enum_name, absl::string_view prefix) {
  absl::string_view rest = enum_name;
  absl::ConsumePrefix(&rest, prefix);
  return absl::StrReplaceAll(absl::AsciiStrToLower(rest), {{"_", "-"}});
}

template <typename Enum, typename NameFn, typename ValidFn>
std::optional<Enum> ParseShortName(absl::string_view name, absl::string_view prefix,
                                   NameFn enum_name, ValidFn valid, int first, int last) {
  for (int value = first; value <= last; ++value) {
    if (!valid(value)) continue;
    const Enum candidate = static_cast<Enum>(value);
    if (Shorten(enum_name(candidate), prefix) == name) return candidate;
  }
  return std::nullopt;
}

}  // namespace

std::string StatusName(v1::KfuncStatus status) {
  return Shorten(v1::KfuncStatus_Name(status), "KFUNC_STATUS_");
}
std::string VerdictName(v1::Verdict verdict) {
  return Shorten(v1::Verdict_Name(verdict), "VERDICT_");
}
std::string OverallVerdictName(v1::OverallVerdict overall) {
  return Shorten(v1::OverallVerdict_Name(overall), "OVERALL_VERDICT_");
}
std::string ViolationKindName(v1::ViolationKind kind) {
  return Shorten(v1::ViolationKind_Name(kind), "VIOLATION_KIND_");
}
std::string ConflictKindName(v1::ConflictKind kind) {
  return Shorten(v1::ConflictKind_Name(kind), "CONFLICT_KIND_");
}

std::string LineageKindName(v1::LineageKind kind) {
  return Shorten(v1::LineageKind_Name(kind), "LINEAGE_KIND_");
}

std::optional<v1::KfuncStatus> ParseStatusName(absl::string_view name) {
  return ParseShortName<v1::KfuncStatus>(
      name, "KFUNC_STATUS_", [](v1::KfuncStatus s) { return v1::KfuncStatus_Name(s); },
      v1::KfuncStatus_IsValid, v1::KfuncStatus_MIN + 1, v1::KfuncStatus_MAX);
}

std::optional<v1::ViolationKind> ParseViolationKindName(absl::string_view name) {
  return ParseShortName<v1::ViolationKind>(
      name, "VIOLATION_KIND_", [](v1::ViolationKind k) { return v1::ViolationKind_Name(k); },
      v1::ViolationKind_IsValid, v1::ViolationKind_MIN + 1, v1::ViolationKind_MAX);
}

std::string ReleaseLabel(const v1::Release& release) {
  if (release.name().empty()) return "";
  return release.projected() ? absl::StrCat(release.name(), " (projected)") : release.name();
}

std::string ReleaseWithDate(const v1::Release& release) {
  if (release.name().empty()) return "";
  std::string date = release.date();
  if (!date.empty() && (release.date_approximate() || release.projected())) date = "~" + date;
  if (release.projected()) {
    return date.empty() ? absl::StrCat(release.name(), " (projected)")
                        : absl::StrCat(release.name(), " (projected, ", date, ")");
  }
  return date.empty() ? release.name() : absl::StrCat(release.name(), " (", date, ")");
}

std::string RangeLabel(const v1::ReleaseRange& range) {
  if (range.first().name() == range.last().name()) return range.first().name();
  return absl::StrCat(range.first().name(), "..", range.last().name());
}

std::string FlagsHex(bool known, uint32_t flags) {
  return known ? absl::StrFormat("0x%x", flags) : "";
}

}  // namespace kfuncdb::client
