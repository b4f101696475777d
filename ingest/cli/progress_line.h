// ProgressLine: one self-rewriting status line on a terminal
// ("[12/40] linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb  1.8 builds/s  ETA 0:16").
// Disabled (every call a no-op) when the stream is not a terminal, so logs
// and pipes get only the summary.
//
// Thread safety: none; the writer thread owns it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace kfuncdb::ingest_cli {

class ProgressLine {
 public:
  // Enabled when `stream` is a terminal.
  explicit ProgressLine(std::FILE* stream);

  void Update(size_t done, size_t total, std::string_view current);
  // Erases the line, before other output is printed on the same stream.
  void Clear();

  bool enabled() const { return enabled_; }

 private:
  std::FILE* stream_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// "1:05", "12:00:03": for ETAs.
std::string FormatDuration(std::chrono::seconds duration);

}  // namespace kfuncdb::ingest_cli
