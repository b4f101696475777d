#include "common/lineage.h"

#include <cctype>

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"

namespace kfuncdb {
namespace {

bool IsLineageNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '+' || c == '-';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string_view LineageKindName(LineageKind kind) {
  switch (kind) {
    case LineageKind::kMainline: return "mainline";
    case LineageKind::kDistribution: return "distribution";
    case LineageKind::kExample: return "example";
  }
  return "example";
}

absl::StatusOr<LineageKind> ParseLineageKind(std::string_view name) {
  for (LineageKind kind : {LineageKind::kMainline, LineageKind::kDistribution, LineageKind::kExample}) {
    if (LineageKindName(kind) == name) return kind;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown lineage kind '", ToAbsl(name), "'"));
}

absl::StatusOr<LineageAssignment> AssignLineage(std::string_view requested,
                                                const LineageBuildIdentity& identity) {
  if (requested.empty()) {
    if (identity.distribution.empty()) return LineageAssignment{std::string(kMainlineLineage), LineageKind::kMainline};
    return LineageAssignment{absl::StrCat(ToAbsl(identity.distribution), "-", ToAbsl(identity.release)),
                             LineageKind::kDistribution};
  }
  for (char c : requested) {
    if (!IsLineageNameChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "lineage name '", ToAbsl(requested), "' may only hold letters, digits and . _ + -"));
    }
  }
  if (requested == kMainlineLineage) return LineageAssignment{std::string(requested), LineageKind::kMainline};
  std::string release_suffix = absl::StrCat("-", ToAbsl(identity.release));
  if (!identity.release.empty() && requested.size() > release_suffix.size() &&
      requested.ends_with(release_suffix)) {
    return LineageAssignment{std::string(requested), LineageKind::kDistribution};
  }
  return LineageAssignment{std::string(requested), LineageKind::kExample};
}

std::vector<LineageAssignment> MemberLineages(const LineageAssignment& home) {
  std::vector<LineageAssignment> members = {home};
  if (home.kind == LineageKind::kDistribution) {
    members.push_back({std::string(kMainlineLineage), LineageKind::kMainline});
  }
  return members;
}

int CompareVersions(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (IsDigit(a[i]) && IsDigit(b[j])) {
      size_t a_end = i, b_end = j;
      while (a_end < a.size() && IsDigit(a[a_end])) ++a_end;
      while (b_end < b.size() && IsDigit(b[b_end])) ++b_end;
      // Compare numeric runs without overflow: strip leading zeros, then
      // the longer run is larger, then bytewise.
      while (i + 1 < a_end && a[i] == '0') ++i;
      while (j + 1 < b_end && b[j] == '0') ++j;
      std::string_view a_run = a.substr(i, a_end - i), b_run = b.substr(j, b_end - j);
      if (a_run.size() != b_run.size()) return a_run.size() < b_run.size() ? -1 : 1;
      if (int order = a_run.compare(b_run); order != 0) return order < 0 ? -1 : 1;
      i = a_end;
      j = b_end;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
    ++i;
    ++j;
  }
  if (i == a.size() && j == b.size()) return 0;
  return i == a.size() ? -1 : 1;
}

}  // namespace kfuncdb
