// Kernel release strings ("uname -r") taken apart into the identity fields a
// build is filed under: mainline base release, upstream version when the
// string carries it, distribution ABI, flavour and architecture.
//
//   6.1.0-56-cloud-amd64        base 6.1, abi 56, flavour cloud-amd64, arch amd64,
//                               upstream unknown (Debian/Ubuntu put ".0" there)
//   6.12.118+deb13-cloud-amd64  base 6.12, upstream 6.12.118, flavour cloud-amd64
//   6.8.0-45-generic            base 6.8, abi 45, flavour generic (Ubuntu)
//   6.11.4-301.fc41.x86_64      base 6.11, upstream 6.11.4, abi 301.fc41, arch amd64
//   6.18.44                     base 6.18, upstream 6.18.44 (plain mainline)
//   6.8.0-example               base 6.8, upstream 6.8.0, flavour example
//
// Pure string functions; no I/O, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/kernel_version.h"

namespace kfuncdb {

struct KernelReleaseInfo {
  std::string kernel_release;    // the string as given
  KernelVersion base{0, 0};      // mainline base release: 6.1
  std::string upstream_version;  // "6.12.118"; empty when the string does not tell
  std::string abi;               // "56", "45", "301.fc41"; empty when none
  std::string flavour;           // "cloud-amd64", "generic"; empty for plain builds
  std::string arch;              // Debian spelling ("amd64"); empty when not named
};

// Parses a kernel release. InvalidArgument when it does not start with
// "major.minor" or contains whitespace.
absl::StatusOr<KernelReleaseInfo> ParseKernelRelease(std::string_view release);

// Maps an architecture or flavour word to Debian's architecture name:
// "x86_64"/"amd64" -> "amd64", "aarch64"/"arm64" -> "arm64", "686-pae" -> "i386"...
// Empty when the word names no architecture.
std::string DebianArchFromName(std::string_view word);

// The upstream version a Debian banner ("Linux version ... #1 SMP
// PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)") names after "Debian ";
// empty when the banner has none.
std::string UpstreamVersionFromBanner(std::string_view banner);

}  // namespace kfuncdb
