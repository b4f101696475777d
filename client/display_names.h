// Short lower-case names for the API's enums, as the tables print them and
// as options accept them (`--status deprecated`, `--kind removed-before-window-end`).
// The JSON output keeps the proto enum names; these are for people.
#pragma once

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "kfuncdb/v1/kfuncdb.pb.h"

namespace kfuncdb::client {

std::string StatusName(v1::KfuncStatus status);          // "stable"
std::string VerdictName(v1::Verdict verdict);            // "available"
std::string OverallVerdictName(v1::OverallVerdict overall);
std::string ViolationKindName(v1::ViolationKind kind);   // "removed-before-window-end"
std::string ConflictKindName(v1::ConflictKind kind);     // "flags"
std::string LineageKindName(v1::LineageKind kind);       // "mainline"

// Inverse of StatusName for the statuses a user can ask for; nullopt for
// anything else.
std::optional<v1::KfuncStatus> ParseStatusName(absl::string_view name);
std::optional<v1::ViolationKind> ParseViolationKindName(absl::string_view name);

// "6.1", "6.1 (2022-12-11)", "7.3 (projected, ~2026-10-18)". Empty for an
// unset release.
std::string ReleaseLabel(const v1::Release& release);
std::string ReleaseWithDate(const v1::Release& release);

// "6.1..6.11", or "6.1" when the range is a single point.
std::string RangeLabel(const v1::ReleaseRange& range);

// "0x85" or "" when the flags are unknown.
std::string FlagsHex(bool known, uint32_t flags);

}  // namespace kfuncdb::client
