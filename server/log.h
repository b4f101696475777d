// One-line log records of kfuncdb-server on stderr: "<UTC time> <message>".
// The server logs its start, its stop and errors; per-request lines only
// when asked (--log-requests). Thread-safe (one write(2)-sized fprintf per
// line).
#pragma once

#include <string_view>

namespace kfuncdb::server {

void LogLine(std::string_view message);

}  // namespace kfuncdb::server
