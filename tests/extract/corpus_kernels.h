// Test set-up for extraction tests on the real corpus, until the unpack
// library reads packages and compressed images itself: a Debian kernel
// package is unpacked with dpkg-deb, the bzImage payload (legacy LZ4 or
// zstd, found by magic) is piped through the lz4/zstd tools, and .ko.xz
// modules are decompressed with xz.
//
// The result is cached on disk under the build tree (corpus-cache/<deb>/),
// guarded by a lock file, so the test processes that ctest starts (one per
// test) and parallel ctest jobs unpack each package only once.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace kfuncdb::testing {

struct CorpusKernel {
  std::filesystem::path vmlinux;               // decompressed ELF; empty if none
  std::vector<std::filesystem::path> modules;  // every .ko, uncompressed, sorted
};

// Unpacks `deb_name` (a file in the corpus). On failure returns false and
// says why in `*error`; a missing corpus file is reported the same way and
// the caller skips.
bool UnpackCorpusKernel(const std::string& deb_name, CorpusKernel* kernel, std::string* error);

}  // namespace kfuncdb::testing
