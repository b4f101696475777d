#include "ingest/unpack/archive_reader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"

namespace kfuncdb::unpack {
namespace {

constexpr size_t kBlockSize = 1 << 16;
constexpr la_int64_t kMaxReserve = la_int64_t{256} << 20;

// Hands the outer entry's data blocks to the inner reader as they are,
// without copying them (ar members are never sparse: offsets are contiguous).
la_ssize_t ReadOuter(archive*, void* client_data, const void** buffer) {
  auto* state = static_cast<NestedReadState*>(client_data);
  size_t size = 0;
  la_int64_t offset = 0;
  int rc = archive_read_data_block(state->outer, buffer, &size, &offset);
  if (rc == ARCHIVE_EOF) return 0;
  if (rc < ARCHIVE_WARN) return -1;
  return static_cast<la_ssize_t>(size);
}

ArchivePtr NewTarReader() {
  ArchivePtr a(archive_read_new());
  if (a == nullptr) return a;
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_support_filter_all(a.get());
  return a;
}

}  // namespace

absl::Status ArchiveError(archive* a, std::string_view what) {
  const char* message = a != nullptr ? archive_error_string(a) : nullptr;
  return absl::DataLossError(absl::StrCat(ToAbsl(what), ": ", message != nullptr ? message : "libarchive error"));
}

absl::StatusOr<ArchivePtr> OpenArFile(const std::filesystem::path& path) {
  ArchivePtr a(archive_read_new());
  if (a == nullptr) return absl::InternalError("archive_read_new failed");
  archive_read_support_format_ar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), kBlockSize) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "cannot open as an ar archive");
  }
  return a;
}

absl::StatusOr<NestedArchive> OpenTarOnEntry(archive* outer) {
  NestedArchive nested;
  nested.state = std::make_unique<NestedReadState>();
  nested.state->outer = outer;
  nested.reader = NewTarReader();
  if (nested.reader == nullptr) return absl::InternalError("archive_read_new failed");
  if (archive_read_open(nested.get(), nested.state.get(), nullptr, ReadOuter, nullptr) != ARCHIVE_OK) {
    return ArchiveError(nested.get(), "cannot open as a tar archive");
  }
  return nested;
}

absl::StatusOr<ArchivePtr> OpenTarInMemory(std::string_view bytes) {
  ArchivePtr a = NewTarReader();
  if (a == nullptr) return absl::InternalError("archive_read_new failed");
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "cannot open as a tar archive");
  }
  return a;
}

absl::StatusOr<std::string> ReadEntryData(archive* a, archive_entry* entry, uint64_t max_bytes) {
  auto too_large = [&] {
    return absl::ResourceExhaustedError(absl::StrCat("member is larger than the limit of ", max_bytes, " bytes"));
  };
  std::string out;
  if (archive_entry_size_is_set(entry)) {
    la_int64_t size = archive_entry_size(entry);
    if (size < 0 || static_cast<uint64_t>(size) > max_bytes) return too_large();
    // Trust the header's size for one allocation, but only so far: a
    // hostile header must not make us reserve the whole limit up front.
    out.reserve(static_cast<size_t>(std::min<la_int64_t>(size, kMaxReserve)));
  }
  // Blocks straight from libarchive's buffers: one copy, into `out`.
  while (true) {
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int rc = archive_read_data_block(a, &block, &size, &offset);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) return ArchiveError(a, "cannot read member data");
    if (offset < 0 || static_cast<uint64_t>(offset) + size > max_bytes) return too_large();
    if (static_cast<size_t>(offset) > out.size()) out.resize(static_cast<size_t>(offset), '\0');  // sparse hole
    out.append(static_cast<const char*>(block), size);
  }
  return out;
}

absl::StatusOr<bool> NextEntry(archive* a, archive_entry** entry) {
  int rc = archive_read_next_header(a, entry);
  if (rc == ARCHIVE_EOF) return false;
  if (rc == ARCHIVE_OK || rc == ARCHIVE_WARN) return true;
  return ArchiveError(a, "cannot read the next member header");
}

std::string EntryPath(archive_entry* entry) {
  const char* raw = archive_entry_pathname(entry);
  std::string_view path = raw != nullptr ? raw : "";
  while (path.starts_with("./")) path.remove_prefix(2);
  return std::string(path);
}

}  // namespace kfuncdb::unpack
