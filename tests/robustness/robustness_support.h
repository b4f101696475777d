// Helpers shared by the robustness tests (tests/robustness): the example
// builds on disk, plain SQLite queries over the store the real
// kfuncdb-ingest writes, and the real kfuncdb-server on a loopback port.
// Test-only; not thread-safe unless stated.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/store/child_process.h"

namespace kfuncdb::robustness {

// Binaries under test (compile definitions set by tests/robustness/CMakeLists.txt).
inline const std::string kIngestBinary = KFUNCDB_INGEST_BINARY;
inline const std::string kServerBinary = KFUNCDB_SERVER_BINARY;
inline const std::string kFixtureGenBinary = KFUNCDB_FIXTURE_GEN_BINARY;

// Writes the example lineage (kfuncdb-fixture-gen example) under `dir` and
// returns its build folders, sorted; each folder is one build for
// kfuncdb-ingest. Fails the test (and returns none) when the generator fails.
std::vector<std::filesystem::path> WriteExampleBuilds(const std::filesystem::path& dir);

// kfuncdb-ingest storing `builds` into `db` with one extraction thread, so
// that builds are written in the order given.
std::vector<std::string> IngestArgv(const std::filesystem::path& db,
                                    const std::vector<std::filesystem::path>& builds);

// An integer from the environment (e.g. KFUNCDB_KILL_ROUNDS), or `fallback`.
int IntFromEnv(const char* name, int fallback);

// A SQLite connection for checks; opened read-write so that a WAL left by a
// killed writer is recovered exactly as the next writer would.
class SqliteFile {
 public:
  explicit SqliteFile(const std::filesystem::path& path);
  bool ok() const { return db_ != nullptr; }
  const std::string& error() const { return error_; }
  // Every row of `sql`, each column as text ("" for NULL), columns joined by '|'.
  std::vector<std::string> Rows(const std::string& sql);
  // The first column of the first row as an integer (0 when there is none).
  int64_t Int(const std::string& sql);
  bool HasTable(const std::string& name);

 private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
  };
  std::unique_ptr<sqlite3, Close> db_;
  std::string error_;
};

// What each stored build looks like, by content hash: "release|kfunc rows|
// module rows|lineage rows|kfuncs without a lifecycle row". A build is
// complete when its shape equals that of a store ingested without trouble
// (and its last field is 0). Empty before the migrations; a store migrated
// only up to 0001 must hold no build (checked).
std::map<std::string, std::string> BuildShapes(SqliteFile& db);

// The derived lifecycle, by names (row ids may differ between stores), one
// row per lineage and kfunc, sorted.
std::vector<std::string> Lifecycle(SqliteFile& db);

// kfuncdb-server on 127.0.0.1:<free port> over `db`, stopped (SIGKILL) on
// destruction. port() is 0 when it did not come up within 60 s; log() says why.
class ServerUnderTest {
 public:
  ServerUnderTest(const std::filesystem::path& db, const std::filesystem::path& log_dir,
                  const std::vector<std::string>& extra_args = {});
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  bool Running() { return process_.Running(); }
  std::string log() const { return process_.Stderr(); }

 private:
  static std::string LogName();

  testing::ChildProcess process_;
  int port_ = 0;
};

}  // namespace kfuncdb::robustness
