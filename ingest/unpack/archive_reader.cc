#include "ingest/unpack/archive_reader.h"

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"

namespace kfuncdb::unpack {
namespace {

constexpr size_t kBlockSize = 1 << 16;

la_ssize_t ReadOuter(archive*, void* client_data, const void** buffer) {
  auto* state = static_cast<NestedReadState*>(client_data);
  *buffer = state->block;
  return archive_read_data(state->outer, state->block, sizeof(state->block));
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

absl::StatusOr<std::string> ReadEntryData(archive* a, uint64_t max_bytes) {
  std::string out;
  char block[kBlockSize];
  while (true) {
    la_ssize_t n = archive_read_data(a, block, sizeof(block));
    if (n < 0) return ArchiveError(a, "cannot read member data");
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("member is larger than the limit of ", max_bytes, " bytes"));
    }
    out.append(block, static_cast<size_t>(n));
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
