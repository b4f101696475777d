#include "client/arguments.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kfuncdb::client {
namespace {

constexpr size_t kMaxKfuncNameLength = 256;

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::Status ValidateReleaseName(absl::string_view what, absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  bool ok = parts.size() == 2 || parts.size() == 3;
  for (absl::string_view part : parts) ok = ok && AllDigits(part) && part.size() <= 6;
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      what, ": \"", text, "\" is not a release name (expected \"6.1\" or \"6.1.192\")"));
}

absl::Status ValidateKfuncName(absl::string_view what, absl::string_view text) {
  bool ok = !text.empty() && text.size() <= kMaxKfuncNameLength &&
            !absl::ascii_isdigit(static_cast<unsigned char>(text[0]));
  for (char c : text) ok = ok && (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      what, ": \"", text, "\" is not a kfunc name (a C identifier, like bpf_task_acquire)"));
}

bool LooksLikeDate(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  if (parts.size() != 3 || parts[0].size() != 4 || parts[1].size() != 2 || parts[2].size() != 2) {
    return false;
  }
  int month = 0, day = 0;
  return AllDigits(parts[0]) && AllDigits(parts[1]) && AllDigits(parts[2]) &&
         absl::SimpleAtoi(parts[1], &month) && absl::SimpleAtoi(parts[2], &day) && month >= 1 &&
         month <= 12 && day >= 1 && day <= 31;
}

absl::StatusOr<v1::ReleaseOrBuild> ParseReleaseOrBuild(absl::string_view what,
                                                       absl::string_view text) {
  v1::ReleaseOrBuild target;
  if (AllDigits(text)) {
    int64_t build_id = 0;
    if (!absl::SimpleAtoi(text, &build_id) || build_id <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": \"", text, "\" is not a build id (see `kfuncdb builds`)"));
    }
    target.set_build_id(build_id);
    return target;
  }
  if (absl::Status status = ValidateReleaseName(what, text); !status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(status.message(), ", nor a build id (see `kfuncdb builds`)"));
  }
  target.set_release(std::string(text));
  return target;
}

}  // namespace kfuncdb::client
