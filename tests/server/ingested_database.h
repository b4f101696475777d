// Test databases made through the real ingest path: files (fixtures written
// by the generator, or the shared corpus's packages) -> kfuncdb_unpack ->
// ExtractBuild -> BuildWriter, whose transaction also runs the lifecycle
// upkeep. Nothing is inserted by hand, so the server is tested against
// exactly what kfuncdb-ingest writes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kfuncdb::testing {

// Ingests every build found in `inputs` (files or folders) into `database`
// (created and migrated when missing), filed under `lineage` ("" = derived
// from each build's identity).
absl::Status IngestInputs(const std::filesystem::path& database,
                          const std::vector<std::filesystem::path>& inputs, std::string_view lineage);

// Writes the fixture generator's example lineage (6.8 .. 6.15) below
// `fixture_dir` and returns the folder of each release, oldest first.
absl::StatusOr<std::vector<std::filesystem::path>> WriteExampleReleases(
    const std::filesystem::path& fixture_dir);

}  // namespace kfuncdb::testing

namespace kfuncdb::testing {

// A database holding the whole example lineage (lineage "example"), made
// once per test process and removed at exit. Tests only read it.
const std::filesystem::path& ExampleDatabase();

}  // namespace kfuncdb::testing
