// How the command line reaches kfuncdb-server: address, transport security
// and per-call deadline, and the stub built from them.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/client_context.h>

#include "absl/status/statusor.h"
#include "kfuncdb/v1/kfuncdb.grpc.pb.h"

namespace kfuncdb::client {

inline constexpr char kDefaultServerAddress[] = "127.0.0.1:50051";

struct ConnectionOptions {
  // host:port; see kDefaultServerAddress and KFUNCDB_SERVER.
  std::string address = kDefaultServerAddress;
  // TLS with the system roots, or with `ca_file` when set (a PEM bundle).
  bool tls = false;
  std::string ca_file;
  // Deadline of every call (a streamed answer counts as one call).
  std::chrono::milliseconds timeout{10000};
};

// A stub over a new channel. Does not connect yet (the first call does);
// fails only when the CA file cannot be read (NotFound / InvalidArgument
// naming it).
absl::StatusOr<std::unique_ptr<v1::KfuncDb::Stub>> MakeStub(const ConnectionOptions& options);

// A context for one call: the deadline from `options`. Calls fail fast
// (UNAVAILABLE) when the server is down rather than waiting for it.
std::unique_ptr<grpc::ClientContext> MakeCallContext(const ConnectionOptions& options);

}  // namespace kfuncdb::client
