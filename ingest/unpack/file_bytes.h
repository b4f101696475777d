// Reading input files into memory, with errors that name the file.
// Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "absl/status/statusor.h"

namespace kfuncdb::unpack {

// At most the first `max_bytes` bytes of the file (fewer if it is shorter).
absl::StatusOr<std::string> ReadFileHead(const std::filesystem::path& path, size_t max_bytes);

// The whole file; an error when it is larger than `max_bytes`.
absl::StatusOr<std::string> ReadWholeFile(const std::filesystem::path& path, uint64_t max_bytes);

// SHA-256 (lower-case hex) over the files' bytes, concatenated in order.
absl::StatusOr<std::string> Sha256OfFiles(const std::vector<std::filesystem::path>& paths);

}  // namespace kfuncdb::unpack
