#include "ingest/unpack/release_names.h"

#include <array>

namespace kfuncdb::unpack {

bool IsPlausibleRelease(std::string_view s) {
  if (s.empty() || s.size() > 128 || s[0] < '0' || s[0] > '9') return false;
  if (s.find('.') == std::string_view::npos) return false;
  for (char c : s) {
    if (c <= ' ' || c > '~' || c == '/') return false;
  }
  return true;
}

std::optional<std::string> FindBannerRelease(std::string_view bytes) {
  constexpr std::string_view kBanner = "Linux version ";
  for (size_t pos = bytes.find(kBanner); pos != std::string_view::npos; pos = bytes.find(kBanner, pos + 1)) {
    std::string_view rest = bytes.substr(pos + kBanner.size(), 129);
    std::string_view release = rest.substr(0, rest.find_first_of(" \n\0", 0, 3));
    if (release.size() < rest.size() && IsPlausibleRelease(release)) return std::string(release);
  }
  return std::nullopt;
}

std::optional<std::string> ReleaseFromPackageName(std::string_view package) {
  constexpr std::array<std::string_view, 3> kPrefixes = {"linux-image-", "linux-binary-", "linux-modules-"};
  constexpr std::array<std::string_view, 2> kSuffixes = {"-unsigned", "-dbg"};
  for (std::string_view prefix : kPrefixes) {
    if (!package.starts_with(prefix)) continue;
    std::string_view release = package.substr(prefix.size());
    for (std::string_view suffix : kSuffixes) {
      if (release.ends_with(suffix)) release.remove_suffix(suffix.size());
    }
    if (IsPlausibleRelease(release)) return std::string(release);
  }
  return std::nullopt;
}

std::optional<std::string> ReleaseFromPath(std::string_view path) {
  constexpr std::string_view kModules = "lib/modules/";
  if (size_t pos = path.find(kModules); pos != std::string_view::npos) {
    std::string_view rest = path.substr(pos + kModules.size());
    std::string_view release = rest.substr(0, rest.find('/'));
    if (IsPlausibleRelease(release)) return std::string(release);
  }
  for (std::string_view prefix : {std::string_view("boot/vmlinuz-"), std::string_view("boot/vmlinux-")}) {
    if (size_t pos = path.find(prefix); pos != std::string_view::npos) {
      std::string_view release = path.substr(pos + prefix.size());
      if (IsPlausibleRelease(release)) return std::string(release);
    }
  }
  return std::nullopt;
}

}  // namespace kfuncdb::unpack
