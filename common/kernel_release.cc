#include "common/kernel_release.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/absl_string_view.h"

namespace kfuncdb {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string DebianArchFromName(std::string_view word) {
  static constexpr std::pair<std::string_view, std::string_view> kArchNames[] = {
      {"amd64", "amd64"},     {"x86_64", "amd64"},   {"arm64", "arm64"},
      {"aarch64", "arm64"},   {"686", "i386"},       {"686-pae", "i386"},
      {"i686", "i386"},       {"i386", "i386"},      {"armmp", "armhf"},
      {"armmp-lpae", "armhf"}, {"powerpc64le", "ppc64el"}, {"ppc64le", "ppc64el"},
      {"ppc64el", "ppc64el"}, {"s390x", "s390x"},    {"riscv64", "riscv64"},
      {"loong64", "loong64"}, {"loongarch64", "loong64"},
  };
  for (const auto& [name, arch] : kArchNames) {
    if (word == name) return std::string(arch);
  }
  return "";
}

absl::StatusOr<KernelReleaseInfo> ParseKernelRelease(std::string_view release) {
  size_t consumed = 0;
  std::optional<KernelVersion> version = KernelVersion::ParsePrefix(release, &consumed);
  bool has_space = release.find_first_of(" \t\r\n") != std::string_view::npos;
  if (!version || has_space) {
    return absl::InvalidArgumentError(absl::StrCat(
        "kernel release \"", ToAbsl(release), "\" does not start with major.minor[.patch]"));
  }
  KernelReleaseInfo info;
  info.kernel_release = std::string(release);
  info.base = version->Base();

  std::string_view rest = release.substr(consumed);
  // A "+deb13"-style local version tag sits between the version and the flavour.
  if (absl::StartsWith(ToAbsl(rest), "+")) {
    size_t dash = rest.find('-');
    rest = dash == std::string_view::npos ? std::string_view() : rest.substr(dash);
  }
  if (absl::StartsWith(ToAbsl(rest), "-")) rest.remove_prefix(1);

  std::vector<absl::string_view> words = absl::StrSplit(ToAbsl(rest), '-', absl::SkipEmpty());
  if (!words.empty() && AllDigits(std::string_view(words.front().data(), words.front().size()))) {
    // Debian/Ubuntu ABI: "6.1.0-56-cloud-amd64".
    info.abi = std::string(words.front());
    words.erase(words.begin());
  } else if (!words.empty() && words.front().find('.') != absl::string_view::npos &&
             absl::ascii_isdigit(static_cast<unsigned char>(words.front()[0]))) {
    // Fedora-style package release with the machine last: "301.fc41.x86_64".
    std::string_view dotted(words.front().data(), words.front().size());
    size_t last_dot = dotted.rfind('.');
    std::string arch = DebianArchFromName(dotted.substr(last_dot + 1));
    if (!arch.empty()) {
      info.arch = arch;
      dotted = dotted.substr(0, last_dot);
    }
    info.abi = std::string(dotted);
    words.erase(words.begin());
  }
  info.flavour = absl::StrJoin(words, "-");
  if (info.arch.empty()) {
    // "cloud-amd64" -> amd64, "686-pae" -> i386, "generic" -> unknown.
    info.arch = DebianArchFromName(info.flavour);
    if (info.arch.empty() && !words.empty()) info.arch = DebianArchFromName(std::string_view(words.back().data(), words.back().size()));
  }
  // Debian and Ubuntu ABI strings carry ".0" where the upstream patch level
  // would be; only a string without a numeric ABI, or with a real patch
  // level, tells the upstream version.
  bool placeholder_patch = AllDigits(info.abi) && version->patch().value_or(0) == 0;
  if (!placeholder_patch) info.upstream_version = version->ToString();
  return info;
}

std::string UpstreamVersionFromBanner(std::string_view banner) {
  static constexpr std::string_view kMarker = " Debian ";
  // Only UTS_VERSION ("#1 SMP ... Debian 6.1.192-2 (date)") is searched: the
  // compiler part before it names Debian's gcc and binutils versions.
  size_t uts_version = banner.rfind(" #");
  if (uts_version != std::string_view::npos) banner.remove_prefix(uts_version);
  for (size_t at = banner.find(kMarker); at != std::string_view::npos;
       at = banner.find(kMarker, at + 1)) {
    std::string_view tail = banner.substr(at + kMarker.size());
    size_t consumed = 0;
    std::optional<KernelVersion> version = KernelVersion::ParsePrefix(tail, &consumed);
    if (version && version->patch()) return version->ToString();
  }
  return "";
}

}  // namespace kfuncdb
