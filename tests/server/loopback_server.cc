#include "tests/server/loopback_server.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace kfuncdb::testing {

std::unique_ptr<server::KfuncDbServer> StartOnLoopback(const std::filesystem::path& database) {
  server::ServerOptions options;
  options.database = database;
  options.listen_address = "127.0.0.1:0";
  options.reader_connections = 2;
  auto server = server::KfuncDbServer::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
  if (!server.ok()) return nullptr;
  EXPECT_GT((*server)->port(), 0);
  return std::move(*server);
}

std::shared_ptr<grpc::Channel> ChannelTo(const server::KfuncDbServer& server) {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", server.port()),
                             grpc::InsecureChannelCredentials());
}

}  // namespace kfuncdb::testing
