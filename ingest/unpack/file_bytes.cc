#include "ingest/unpack/file_bytes.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"

namespace kfuncdb::unpack {
namespace {

absl::Status CannotRead(const std::filesystem::path& path) {
  return absl::NotFoundError(absl::StrCat(path.string(), ": cannot read: ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::string> ReadFileHead(const std::filesystem::path& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return CannotRead(path);
  std::string head(max_bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(max_bytes));
  if (in.bad()) return CannotRead(path);
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

absl::StatusOr<std::string> ReadWholeFile(const std::filesystem::path& path, uint64_t max_bytes) {
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return absl::NotFoundError(absl::StrCat(path.string(), ": cannot read: ", ec.message()));
  if (size > max_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(path.string(), ": file of ", size,
                                                     " bytes is larger than the limit of ", max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return CannotRead(path);
  std::string bytes(static_cast<size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size) return CannotRead(path);
  return bytes;
}

absl::StatusOr<std::string> Sha256OfFiles(const std::vector<std::filesystem::path>& paths) {
  Sha256 hash;
  std::vector<char> block(1 << 20);
  for (const std::filesystem::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return CannotRead(path);
    while (in) {
      in.read(block.data(), static_cast<std::streamsize>(block.size()));
      hash.Update(std::string_view(block.data(), static_cast<size_t>(in.gcount())));
    }
    if (in.bad()) return CannotRead(path);
  }
  return hash.HexDigest();
}

}  // namespace kfuncdb::unpack
