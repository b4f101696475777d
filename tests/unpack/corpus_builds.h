// The builds kfuncdb_unpack makes of corpus files, for tests and benchmarks
// that need real kernels: each set of files is unpacked in-process (no
// dpkg-deb, no external decompressor) once per process and cached, so the
// tests of one binary share the work. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/extract/kernel_artifacts.h"

namespace kfuncdb::testing {

// UnpackInputs on `names` (files of the corpus), cached by `names`.
// A missing corpus file yields NotFound starting "corpus file missing: " so
// callers can skip.
const absl::StatusOr<std::vector<extract::KernelArtifacts>>& UnpackedCorpus(const std::vector<std::string>& names);

}  // namespace kfuncdb::testing
