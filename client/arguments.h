// Client-side checks of command-line arguments, so an obvious mistake
// ("6.x", "bpf-task") fails at once with exit 2 instead of a round trip.
// They check form only; whether a release exists in a lineage is the
// server's answer (INVALID_ARGUMENT, also exit 2).
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kfuncdb/v1/kfuncdb.pb.h"

namespace kfuncdb::client {

// "6.1" or "6.1.192": two or three dot-separated decimal numbers.
// InvalidArgument naming `what` ("--at") otherwise.
absl::Status ValidateReleaseName(absl::string_view what, absl::string_view text);

// A C identifier of at most 256 characters, as kfunc names are.
absl::Status ValidateKfuncName(absl::string_view what, absl::string_view text);

// "YYYY-MM-DD" with a month 1-12 and a day 1-31 (the server checks the
// calendar).
bool LooksLikeDate(absl::string_view text);

// A diff side or a check target: all digits is a build id ("12", as
// `kfuncdb builds` shows), anything else must be a release name.
absl::StatusOr<v1::ReleaseOrBuild> ParseReleaseOrBuild(absl::string_view what,
                                                       absl::string_view text);

}  // namespace kfuncdb::client
