#include "tests/server/ingested_database.h"

#include "absl/strings/str_cat.h"
#include "common/sqlite/migrations.h"
#include "common/status_macros.h"
#include "ingest/extract/extract_build.h"
#include "ingest/store/build_writer.h"
#include "ingest/unpack/unpack.h"
#include "tests/fixtures/kernel_fixture.h"
#include "tests/support/test_support.h"


#include <gtest/gtest.h>

namespace kfuncdb::testing {

absl::Status IngestInputs(const std::filesystem::path& database,
                          const std::vector<std::filesystem::path>& inputs, std::string_view lineage) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Database db, sqlite::OpenForWriting(database));
  store::BuildWriter writer(db);
  KFUNCDB_ASSIGN_OR_RETURN(std::vector<extract::KernelArtifacts> builds,
                           unpack::UnpackInputs(inputs, unpack::UnpackOptions{}));
  for (const extract::KernelArtifacts& artifacts : builds) {
    KFUNCDB_ASSIGN_OR_RETURN(v1::BuildRecord record,
                             extract::ExtractBuild(artifacts, extract::ExtractOptions{}));
    record.set_lineage(std::string(lineage));
    KFUNCDB_RETURN_IF_ERROR(writer.Write(record).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::filesystem::path>> WriteExampleReleases(
    const std::filesystem::path& fixture_dir) {
  KFUNCDB_RETURN_IF_ERROR(fixtures::WriteExampleLineage(fixture_dir));
  std::vector<std::filesystem::path> releases;
  for (const fixtures::ExampleRelease& release : fixtures::ExampleLineage()) {
    releases.push_back(fixture_dir / release.build.spec.kernel_release);
  }
  return releases;
}

}  // namespace kfuncdb::testing

namespace kfuncdb::testing {

const std::filesystem::path& ExampleDatabase() {
  struct Made {
    ScratchDir dir;
    std::filesystem::path database = dir / "example.db";
    Made() {
      absl::StatusOr<std::vector<std::filesystem::path>> releases = WriteExampleReleases(dir / "fixtures");
      if (!releases.ok()) {
        ADD_FAILURE() << "writing the example lineage: " << releases.status();
        return;
      }
      // One release at a time, oldest first, as a worker would see them land.
      for (const std::filesystem::path& release : *releases) {
        absl::Status status = IngestInputs(database, {release}, "example");
        if (!status.ok()) ADD_FAILURE() << "ingesting " << release << ": " << status;
      }
    }
  };
  // Destroyed (and the folder removed) when the process exits.
  static Made made;
  return made.database;
}

}  // namespace kfuncdb::testing
