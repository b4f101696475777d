#include "ingest/cli/progress_line.h"

#include <unistd.h>

#include "absl/strings/str_format.h"

namespace kfuncdb::ingest_cli {

ProgressLine::ProgressLine(std::FILE* stream)
    : stream_(stream), enabled_(isatty(fileno(stream)) == 1) {}

std::string FormatDuration(std::chrono::seconds duration) {
  long long total = duration.count();
  if (total >= 3600) {
    return absl::StrFormat("%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60);
  }
  return absl::StrFormat("%d:%02d", total / 60, total % 60);
}

void ProgressLine::Update(size_t done, size_t total, std::string_view current) {
  if (!enabled_) return;
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  std::string eta = "--:--";
  if (rate > 0 && total >= done) {
    eta = FormatDuration(std::chrono::seconds(static_cast<long long>((total - done) / rate)));
  }
  // Keep the line shorter than a terminal row: long paths show their tail.
  constexpr size_t kMaxCurrent = 48;
  std::string shown(current.size() > kMaxCurrent
                        ? "..." + std::string(current.substr(current.size() - kMaxCurrent + 3))
                        : std::string(current));
  absl::FPrintF(stream_, "\r\033[K[%d/%d] %s  %.1f builds/s  ETA %s", done, total, shown, rate,
                eta);
  std::fflush(stream_);
  shown_ = true;
}

void ProgressLine::Clear() {
  if (!enabled_ || !shown_) return;
  std::fputs("\r\033[K", stream_);
  std::fflush(stream_);
  shown_ = false;
}

}  // namespace kfuncdb::ingest_cli
