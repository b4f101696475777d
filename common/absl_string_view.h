// Debian bookworm's Abseil is built with its own absl::string_view
// (ABSL_OPTION_USE_STD_STRING_VIEW 0), which does not convert from
// std::string_view. Our interfaces use std::string_view; this is the one
// bridge to pass them to absl::StrCat, absl::StrSplit, absl::Status...
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace kfuncdb {

inline absl::string_view ToAbsl(std::string_view view) {
  return absl::string_view(view.data(), view.size());
}

}  // namespace kfuncdb
