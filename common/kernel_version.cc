#include "common/kernel_version.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"

namespace kfuncdb {
namespace {

// Reads a decimal number of at most 6 digits at text[*pos]; advances *pos.
std::optional<int> ReadNumber(std::string_view text, size_t* pos) {
  size_t start = *pos;
  int value = 0;
  while (*pos < text.size() && text[*pos] >= '0' && text[*pos] <= '9' && *pos - start < 6) {
    value = value * 10 + (text[*pos] - '0');
    ++*pos;
  }
  if (*pos == start) return std::nullopt;
  return value;
}

}  // namespace

std::optional<KernelVersion> KernelVersion::ParsePrefix(std::string_view text, size_t* consumed) {
  size_t pos = 0;
  std::optional<int> major = ReadNumber(text, &pos);
  if (!major || pos >= text.size() || text[pos] != '.') return std::nullopt;
  ++pos;
  std::optional<int> minor = ReadNumber(text, &pos);
  if (!minor) return std::nullopt;
  KernelVersion version(*major, *minor);
  if (pos + 1 < text.size() && text[pos] == '.' && text[pos + 1] >= '0' && text[pos + 1] <= '9') {
    ++pos;
    version.patch_ = ReadNumber(text, &pos);
  }
  *consumed = pos;
  return version;
}

absl::StatusOr<KernelVersion> KernelVersion::Parse(std::string_view text) {
  size_t consumed = 0;
  std::optional<KernelVersion> version = ParsePrefix(text, &consumed);
  if (!version || consumed != text.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a kernel version (major.minor[.patch]): \"", ToAbsl(text), "\""));
  }
  return *version;
}

std::string KernelVersion::ToString() const {
  if (patch_) return absl::StrCat(major_, ".", minor_, ".", *patch_);
  return absl::StrCat(major_, ".", minor_);
}

}  // namespace kfuncdb
