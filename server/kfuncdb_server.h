// KfuncDbServer: a running kfuncdb.v1 gRPC server over one database file,
// with the standard health service (grpc.health.v1.Health, SERVING while
// up) and server reflection, so grpcurl / grpc_cli work without our protos.
// Used by the kfuncdb-server binary, the tests and the benchmark.
//
// Limits: received messages up to 4 MiB, sent messages up to 64 MiB, at most
// `max_concurrent_streams` calls per connection.
//
// Thread safety: Shutdown() and Wait() may be called from any thread.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grpc {
class Server;
}

namespace kfuncdb::server {

class KfuncDbService;
class ReaderPool;

struct TlsFiles {
  std::filesystem::path certificate_chain;  // PEM
  std::filesystem::path private_key;        // PEM
};

struct ServerOptions {
  std::filesystem::path database;
  // host:port; port 0 picks a free port (see KfuncDbServer::port()).
  std::string listen_address = "127.0.0.1:50051";
  // Absent: plaintext.
  std::optional<TlsFiles> tls;
  // Log one line per call, not only errors.
  bool log_requests = false;
  // Read-only database connections (calls served at once).
  int reader_connections = 8;
  int max_concurrent_streams = 256;
};

// Process-wide settings for a process that serves: turns off abseil's
// Mutex deadlock detection, a debug aid that Debian's abseil leaves on (it
// updates a lock graph on every Mutex acquisition, gRPC's own included, and
// showed as several percent of a loaded server's CPU). Call once, before
// Start(), from the process's main; tests leave it on.
void ConfigureProcessForServing();

class KfuncDbServer {
 public:
  // Opens the database (NotFound / FailedPrecondition as ReaderPool::Open),
  // reads the TLS files (NotFound naming the file), binds and starts
  // serving. Unavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<KfuncDbServer>> Start(const ServerOptions& options);
  ~KfuncDbServer();

  // The bound port (the chosen one when the address asked for port 0).
  int port() const { return port_; }

  // Stops accepting calls, reports NOT_SERVING, lets calls in flight finish
  // until `grace` has passed, then cancels the rest. Idempotent.
  void Shutdown(absl::Duration grace);
  // Blocks until the server has shut down.
  void Wait();

 private:
  KfuncDbServer() = default;

  std::unique_ptr<ReaderPool> pool_;
  std::unique_ptr<KfuncDbService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace kfuncdb::server
