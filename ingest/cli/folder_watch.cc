#include "ingest/cli/folder_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace kfuncdb::ingest_cli {
namespace {

absl::Status ErrnoStatus(std::string_view what, const std::filesystem::path& path) {
  int error = errno;
  std::string message =
      absl::StrCat(path.string(), ": ", std::string(what), ": ", std::strerror(error));
  if (error == ENOENT || error == ENOTDIR) return absl::NotFoundError(message);
  if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(message);
  return absl::InternalError(message);
}

bool Counts(std::string_view name) { return !name.empty() && name.front() != '.'; }

}  // namespace

absl::StatusOr<FolderWatch> FolderWatch::Start(const std::filesystem::path& dir) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return ErrnoStatus("inotify_init1", dir);
  if (inotify_add_watch(fd, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR) < 0) {
    absl::Status status = ErrnoStatus("cannot watch folder", dir);
    close(fd);
    return status;
  }
  return FolderWatch(dir, fd);
}

FolderWatch::~FolderWatch() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<std::vector<std::filesystem::path>> FolderWatch::TakeLanded() {
  std::vector<std::filesystem::path> landed;
  alignas(struct inotify_event) char buffer[16 * 1024];
  for (;;) {
    ssize_t n = read(fd_, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      return ErrnoStatus("reading inotify events", dir_);
    }
    if (n == 0) break;
    for (ssize_t offset = 0; offset + static_cast<ssize_t>(sizeof(inotify_event)) <= n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      if (event->mask & IN_Q_OVERFLOW) {
        // Events were lost: fall back to whatever is in the folder now
        // (already ingested builds are no-ops).
        auto current = ListCurrent();
        if (!current.ok()) return current.status();
        landed.insert(landed.end(), current->begin(), current->end());
        continue;
      }
      if (event->len == 0) continue;
      std::string_view name(event->name);
      if (Counts(name)) landed.push_back(dir_ / std::string(name));
    }
  }
  std::sort(landed.begin(), landed.end());
  landed.erase(std::unique(landed.begin(), landed.end()), landed.end());
  return landed;
}

absl::StatusOr<std::vector<std::filesystem::path>> FolderWatch::ListCurrent() const {
  std::vector<std::filesystem::path> entries;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (Counts(entry.path().filename().string())) entries.push_back(entry.path());
  }
  if (ec) {
    return absl::InternalError(absl::StrCat(dir_.string(), ": cannot list: ", ec.message()));
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

absl::Status QuarantineFailedInput(const std::filesystem::path& dir,
                                   const std::filesystem::path& input, std::string_view reason) {
  std::filesystem::path failed_dir = dir / ".failed";
  std::error_code ec;
  std::filesystem::create_directories(failed_dir, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat(failed_dir.string(), ": cannot create: ", ec.message()));
  }
  std::filesystem::path target = failed_dir / input.filename();
  std::filesystem::remove_all(target, ec);
  std::filesystem::rename(input, target, ec);
  if (ec) {
    return absl::InternalError(absl::StrCat("cannot move ", input.string(), " to ",
                                            target.string(), ": ", ec.message()));
  }
  std::ofstream error_file(target.string() + ".error", std::ios::trunc);
  error_file << reason << "\n";
  if (!error_file) {
    return absl::InternalError(absl::StrCat(target.string(), ".error: cannot write"));
  }
  return absl::OkStatus();
}

}  // namespace kfuncdb::ingest_cli
