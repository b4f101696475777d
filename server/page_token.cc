#include "server/page_token.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/absl_string_view.h"

namespace kfuncdb::server {
namespace {

constexpr absl::string_view kMagic = "kfdb1|";
// Longer tokens are refused before decoding: no key is this long.
constexpr size_t kMaxTokenLength = 2048;

uint64_t Fnv1a(uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::string RequestFingerprint(std::initializer_list<std::string_view> parts) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::string_view part : parts) {
    // Length-prefixed so ("ab","c") and ("a","bc") differ.
    hash = Fnv1a(hash, std::to_string(part.size()) + ":");
    hash = Fnv1a(hash, part);
  }
  return absl::StrFormat("%016x", hash);
}

std::string EncodePageToken(std::string_view fingerprint, std::string_view last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(kMagic, ToAbsl(fingerprint), "|", ToAbsl(last_key)));
}

absl::StatusOr<std::string> DecodePageToken(std::string_view field, std::string_view token,
                                            std::string_view fingerprint) {
  if (token.empty()) return std::string();
  std::string decoded;
  if (token.size() > kMaxTokenLength || !absl::WebSafeBase64Unescape(ToAbsl(token), &decoded)) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), ": not a page token of this server"));
  }
  absl::string_view rest = decoded;
  const std::string expected = absl::StrCat(kMagic, ToAbsl(fingerprint), "|");
  if (!absl::ConsumePrefix(&rest, expected)) {
    if (absl::StartsWith(decoded, kMagic)) {
      return absl::InvalidArgumentError(
          absl::StrCat(ToAbsl(field), ": the token was issued for a request with other filters"));
    }
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), ": not a page token of this server"));
  }
  if (rest.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), ": token without a position"));
  }
  return std::string(rest);
}

}  // namespace kfuncdb::server
