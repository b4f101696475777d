#include "server/database_change_watcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace kfuncdb::server {
namespace {

// Events that can precede a commit becoming visible.
constexpr uint32_t kWatchedEvents = IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM;

}  // namespace

absl::StatusOr<std::unique_ptr<DatabaseChangeWatcher>> DatabaseChangeWatcher::Watch(
    const std::filesystem::path& database) {
  const std::filesystem::path absolute = std::filesystem::absolute(database);
  const std::filesystem::path folder = absolute.parent_path();
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, "inotify_init1");
  if (inotify_add_watch(fd, folder.c_str(), kWatchedEvents | IN_ONLYDIR) < 0) {
    const int error = errno;
    close(fd);
    return absl::ErrnoToStatus(
        error, absl::StrCat("watching ", folder.string(), " for database changes"));
  }
  return std::unique_ptr<DatabaseChangeWatcher>(
      new DatabaseChangeWatcher(fd, absolute.filename().string()));
}

DatabaseChangeWatcher::DatabaseChangeWatcher(int inotify_fd, std::string database_name)
    : inotify_fd_(inotify_fd),
      database_name_(std::move(database_name)),
      wal_name_(database_name_ + "-wal") {}

DatabaseChangeWatcher::~DatabaseChangeWatcher() { close(inotify_fd_); }

absl::StatusOr<uint64_t> DatabaseChangeWatcher::Generation() {
  absl::MutexLock lock(&mu_);
  // Room for many events per read; each is a header plus a padded name.
  alignas(inotify_event) char buffer[16 * (sizeof(inotify_event) + 256)];
  while (true) {
    const ssize_t got = read(inotify_fd_, buffer, sizeof(buffer));
    if (got < 0) {
      if (errno == EAGAIN) return generation_;
      if (errno == EINTR) continue;
      return absl::ErrnoToStatus(errno, "reading database change events");
    }
    bool changed = false;
    for (ssize_t offset = 0; offset + static_cast<ssize_t>(sizeof(inotify_event)) <= got;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      if (offset + static_cast<ssize_t>(sizeof(inotify_event) + event->len) > got) break;
      // The kernel NUL-pads names; an event without a name is about the
      // folder itself (IN_Q_OVERFLOW has wd -1 and no name).
      const std::string_view name = event->len > 0 ? std::string_view(event->name) : "";
      if ((event->mask & IN_Q_OVERFLOW) != 0 || name == database_name_ || name == wal_name_) {
        changed = true;
      }
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
    if (changed) ++generation_;
  }
}

}  // namespace kfuncdb::server
