// KernelVersion: a mainline kernel version number, "major.minor[.patch]"
// ("6.1", "6.12.118"), parsed and compared. It is the key of release-ranged
// domain rules (the KF_* flag table) and of base-release identity. It is not
// a release catalog: it says nothing about which releases exist or their
// order beyond numeric comparison (never do "N releases later" arithmetic on
// it; see DOMAIN.md section 4).
#pragma once

#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kfuncdb {

class KernelVersion {
 public:
  constexpr KernelVersion(int major, int minor) : major_(major), minor_(minor) {}
  constexpr KernelVersion(int major, int minor, int patch)
      : major_(major), minor_(minor), patch_(patch) {}

  // Parses exactly "major.minor" or "major.minor.patch" (decimal, no sign).
  // Anything else, including trailing text, is InvalidArgument.
  static absl::StatusOr<KernelVersion> Parse(std::string_view text);

  // Parses the version at the start of `text` ("6.12.118+deb13-cloud-amd64"
  // -> 6.12.118) and stores how many characters it used in `*consumed`.
  // nullopt when `text` does not start with "major.minor".
  static std::optional<KernelVersion> ParsePrefix(std::string_view text, size_t* consumed);

  int major() const { return major_; }
  int minor() const { return minor_; }
  std::optional<int> patch() const { return patch_; }

  // The mainline base release: the same version without its patch level.
  KernelVersion Base() const { return KernelVersion(major_, minor_); }

  // "6.1" or "6.1.192".
  std::string ToString() const;

  // Orders by (major, minor, patch); a missing patch orders as patch 0, so
  // "6.1" == "6.1.0" compares equal although they print differently.
  friend std::strong_ordering operator<=>(const KernelVersion& a, const KernelVersion& b) {
    if (auto c = a.major_ <=> b.major_; c != 0) return c;
    if (auto c = a.minor_ <=> b.minor_; c != 0) return c;
    return a.patch_.value_or(0) <=> b.patch_.value_or(0);
  }
  friend bool operator==(const KernelVersion& a, const KernelVersion& b) {
    return (a <=> b) == 0;
  }

 private:
  int major_;
  int minor_;
  std::optional<int> patch_;
};

}  // namespace kfuncdb
