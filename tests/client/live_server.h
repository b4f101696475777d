// LiveServer: a kfuncdb-server process on a loopback port, over a database
// the real kfuncdb-ingest wrote from the real corpus (Debian 6.1 amd64 and
// arm64, 6.12 amd64 packages; whichever are present) and from the example
// lineage kfuncdb-fixture-gen writes.
//
// Ingesting the corpus takes a while, and ctest runs every test in its own
// process, so the database is built once and cached in the build tree,
// keyed by the binaries that wrote it and the corpus files used; a file
// lock lets parallel test processes share it. Each test process starts its
// own server on it (port 0) and stops it at exit.
//
// Not thread-safe beyond Get()'s one-time setup; tests are single-threaded.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kfuncdb/v1/kfuncdb.grpc.pb.h"
#include "tests/client/subprocess.h"
#include "tests/support/test_support.h"

namespace kfuncdb::client::testing {

// A kfuncdb-server process on 127.0.0.1, port chosen by the server (port
// 0), stopped (SIGTERM) on destruction.
class ServerProcess {
 public:
  // Starts the server on `db` with `extra_args` ("--tls-cert", ...) and
  // waits until it reports its port; nullptr and `*why` when it cannot.
  static std::unique_ptr<ServerProcess> Start(const std::filesystem::path& db,
                                              const std::vector<std::string>& extra_args,
                                              std::string* why);
  // "127.0.0.1:<port>".
  const std::string& address() const { return address_; }

 private:
  ServerProcess() = default;

  ::kfuncdb::testing::ScratchDir log_dir_;
  std::unique_ptr<BackgroundProcess> process_;
  std::string address_;
};

class LiveServer {
 public:
  // The process-wide server, started on first use; nullptr when it could
  // not be set up, with the reason in `*why` (the caller fails the test).
  static LiveServer* Get(std::string* why);

  // "127.0.0.1:<port>".
  const std::string& address() const { return process_->address(); }
  v1::KfuncDb::Stub& stub() { return *stub_; }
  // The cached database, for tests that start a server of their own on it.
  const std::filesystem::path& database() const { return database_; }
  // Whether the corpus builds are in the database (else only the example).
  bool has_corpus() const { return has_corpus_; }

  // Runs the kfuncdb binary with `args` against this server
  // ("--server ADDR" first).
  std::vector<std::string> KfuncdbArgv(const std::vector<std::string>& args) const;

 private:
  std::filesystem::path database_;
  std::unique_ptr<ServerProcess> process_;
  bool has_corpus_ = false;
  std::unique_ptr<v1::KfuncDb::Stub> stub_;
};

// Path of the kfuncdb binary under test.
std::string KfuncdbBinary();

}  // namespace kfuncdb::client::testing
