#include "client/connection.h"

#include <fstream>
#include <sstream>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"

namespace kfuncdb::client {

absl::StatusOr<std::unique_ptr<v1::KfuncDb::Stub>> MakeStub(const ConnectionOptions& options) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.tls || !options.ca_file.empty()) {
    grpc::SslCredentialsOptions ssl;
    if (!options.ca_file.empty()) {
      std::ifstream in(options.ca_file, std::ios::binary);
      if (!in) {
        return absl::NotFoundError(absl::StrCat("--ca ", options.ca_file, ": cannot open"));
      }
      std::ostringstream pem;
      pem << in.rdbuf();
      if (pem.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("--ca ", options.ca_file, ": no PEM certificate in it"));
      }
      ssl.pem_root_certs = pem.str();
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  return v1::KfuncDb::NewStub(grpc::CreateChannel(options.address, credentials));
}

std::unique_ptr<grpc::ClientContext> MakeCallContext(const ConnectionOptions& options) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + options.timeout);
  return context;
}

}  // namespace kfuncdb::client
