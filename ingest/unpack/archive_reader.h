// Thin RAII helpers over libarchive, shared by the Debian package reader and
// the tar (BTFHub archive) reader. Archives are read in-process and
// streamed: an archive nested in another (data.tar.xz inside a .deb) is
// opened on the outer entry's data without being copied out first.
// Each Archive object is used by one thread at a time.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kfuncdb::unpack {

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

// Formats an archive error: "<what>: <libarchive message>".
absl::Status ArchiveError(archive* a, std::string_view what);

// An `ar` reader (the outer layer of a .deb) on a file.
absl::StatusOr<ArchivePtr> OpenArFile(const std::filesystem::path& path);

// Read state of an archive nested in the current entry of another.
struct NestedReadState {
  archive* outer = nullptr;
};

// A reader nested in another archive's entry; the state outlives the reader
// (members are destroyed in reverse order).
struct NestedArchive {
  std::unique_ptr<NestedReadState> state;
  ArchivePtr reader;
  archive* get() const { return reader.get(); }
};

// A tar reader, with any compression filter libarchive knows (xz, gzip,
// zstd, bzip2...), reading the current entry of `outer` as its input.
// `outer` must outlive the returned reader and not move to another entry.
absl::StatusOr<NestedArchive> OpenTarOnEntry(archive* outer);

// A tar reader (any compression) over bytes in memory; `bytes` must outlive it.
absl::StatusOr<ArchivePtr> OpenTarInMemory(std::string_view bytes);

// Reads the data of `entry`, the current entry of `a`: at most `max_bytes`
// (an error beyond: entries are decompressed by libarchive, so this bounds
// a bomb too).
absl::StatusOr<std::string> ReadEntryData(archive* a, archive_entry* entry, uint64_t max_bytes);

// Next entry header: true, false at the end of the archive, or an error.
absl::StatusOr<bool> NextEntry(archive* a, archive_entry** entry);

// An entry's path without a leading "./".
std::string EntryPath(archive_entry* entry);

}  // namespace kfuncdb::unpack
