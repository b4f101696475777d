#include "server/log.h"

#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace kfuncdb::server {

void LogLine(std::string_view message) {
  const std::string now = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::fprintf(stderr, "%s kfuncdb-server: %.*s\n", now.c_str(), static_cast<int>(message.size()),
               message.data());
}

}  // namespace kfuncdb::server
