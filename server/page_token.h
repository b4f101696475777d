// Page tokens: opaque to clients, validated by the server.
//
// A token is the web-safe base64 of "kfdb1|<filter fingerprint>|<last key>":
// the list continues after `last key` (the sort key of the last item
// returned). The fingerprint is a stable hash (FNV-1a, not absl::Hash, which
// is seeded per process) of the method and its filters, so a token used with
// other filters, edited, or made up is InvalidArgument rather than a silently
// wrong page. Tokens stay valid across server restarts.
//
// Pure functions; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kfuncdb::server {

// Fingerprint of a list request's method and filters (not its page fields).
std::string RequestFingerprint(std::initializer_list<std::string_view> parts);

std::string EncodePageToken(std::string_view fingerprint, std::string_view last_key);

// The last key of `token`; "" for an empty token (the first page).
// InvalidArgument naming `field` when the token is malformed or was issued
// for other filters.
absl::StatusOr<std::string> DecodePageToken(std::string_view field, std::string_view token,
                                            std::string_view fingerprint);

}  // namespace kfuncdb::server
