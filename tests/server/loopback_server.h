// The real kfuncdb server in the test process, on a free loopback port, and
// a channel to it: what every end-to-end server test starts from.
#pragma once

#include <filesystem>
#include <memory>

#include <grpcpp/channel.h>

#include "server/kfuncdb_server.h"

namespace kfuncdb::testing {

// Starts the server over `database` on 127.0.0.1:0 with two reader
// connections. On failure records a test failure and returns nullptr.
std::unique_ptr<server::KfuncDbServer> StartOnLoopback(const std::filesystem::path& database);

// A plaintext channel to the server's port.
std::shared_ptr<grpc::Channel> ChannelTo(const server::KfuncDbServer& server);

}  // namespace kfuncdb::testing
