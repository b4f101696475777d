// FolderWatch: the files that land in a spool folder, for the ingest worker
// (`kfuncdb-ingest --watch DIR`).
//
// A file counts once it is complete: closed after writing (IN_CLOSE_WRITE,
// e.g. `cp`) or renamed into the folder (IN_MOVED_TO, e.g. `mv`, or a
// downloader's final rename). Names starting with '.' are ignored, so
// partial downloads ("pkg.deb.part" should be written as ".pkg.deb.part")
// and the worker's own .failed/ folder never count. Sub-folders moved in
// count as one input. Not recursive.
//
// Thread safety: none; the writer thread owns it.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kfuncdb::ingest_cli {

class FolderWatch {
 public:
  // Starts watching. Start before listing the folder's current files, so
  // that nothing landing in between is missed (it may be seen twice).
  static absl::StatusOr<FolderWatch> Start(const std::filesystem::path& dir);
  ~FolderWatch();
  FolderWatch(FolderWatch&& other) noexcept : dir_(std::move(other.dir_)), fd_(other.fd_) {
    other.fd_ = -1;
  }
  FolderWatch& operator=(FolderWatch&&) = delete;

  // Readable when events are waiting.
  int fd() const { return fd_; }

  // Paths that landed since the last call (non-blocking; empty when none).
  absl::StatusOr<std::vector<std::filesystem::path>> TakeLanded();

  // The entries now in the folder that count as inputs (no dot-names), sorted.
  absl::StatusOr<std::vector<std::filesystem::path>> ListCurrent() const;

 private:
  FolderWatch(std::filesystem::path dir, int fd) : dir_(std::move(dir)), fd_(fd) {}

  std::filesystem::path dir_;
  int fd_;
};

// Moves a failed input to <dir>/.failed/<name> and writes the reason to
// <dir>/.failed/<name>.error, so the worker never retries it and a person
// sees why. An existing entry of the same name is replaced.
absl::Status QuarantineFailedInput(const std::filesystem::path& dir,
                                   const std::filesystem::path& input, std::string_view reason);

}  // namespace kfuncdb::ingest_cli
