#include "server/kfuncdb_server.h"

#include <fstream>
#include <sstream>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"
#include "server/kfuncdb_service.h"
#include "server/log.h"
#include "server/reader_pool.h"

namespace kfuncdb::server {
namespace {

constexpr int kMaxReceiveMessageBytes = 4 << 20;
constexpr int kMaxSendMessageBytes = 64 << 20;

absl::StatusOr<std::string> ReadPem(const std::filesystem::path& path, absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", what, " ", path.string()));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (bytes.str().empty()) return absl::InvalidArgumentError(absl::StrCat(what, " ", path.string(), " is empty"));
  return bytes.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(const ServerOptions& options) {
  if (!options.tls) return grpc::InsecureServerCredentials();
  KFUNCDB_ASSIGN_OR_RETURN(std::string certificate,
                           ReadPem(options.tls->certificate_chain, "TLS certificate"));
  KFUNCDB_ASSIGN_OR_RETURN(std::string key, ReadPem(options.tls->private_key, "TLS private key"));
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({std::move(key), std::move(certificate)});
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

void ConfigureProcessForServing() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

absl::StatusOr<std::unique_ptr<KfuncDbServer>> KfuncDbServer::Start(const ServerOptions& options) {
  std::unique_ptr<KfuncDbServer> server(new KfuncDbServer());
  KFUNCDB_ASSIGN_OR_RETURN(server->pool_, ReaderPool::Open(options.database, options.reader_connections));
  if (const absl::Status& cache = server->pool_->cache_status(); !cache.ok()) {
    LogLine(absl::StrCat("answers will not be cached: ", cache.ToString()));
  }
  KFUNCDB_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials, Credentials(options));
  server->service_ = std::make_unique<KfuncDbService>(*server->pool_, options.log_requests);

  // Both are process-wide switches read by the builder.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, credentials, &server->port_);
  builder.RegisterService(server->service_.get());
  builder.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  builder.SetMaxSendMessageSize(kMaxSendMessageBytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen_address));
  }
  // "" (the server) and our service by name, as health probes ask either.
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  server->server_->GetHealthCheckService()->SetServingStatus(v1::KfuncDb::service_full_name(), true);
  return server;
}

KfuncDbServer::~KfuncDbServer() {
  Shutdown(absl::ZeroDuration());
  Wait();
}

void KfuncDbServer::Shutdown(absl::Duration grace) {
  if (server_ == nullptr) return;
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
}

void KfuncDbServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace kfuncdb::server
