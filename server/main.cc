// kfuncdb-server: serves the kfuncdb.v1 API over a database written by
// kfuncdb-ingest.
//
//   kfuncdb-server --db FILE [--listen ADDR] [--tls-cert F --tls-key F]
//                  [--log-requests] [--readers N] [--shutdown-grace SECONDS]
//
// Listens on 127.0.0.1:50051 (loopback only) unless told otherwise. SIGTERM
// or SIGINT stop it: no new calls, calls in flight finish within the grace
// period, exit status 0. Exit status 1 when it cannot start.
#include <csignal>
#include <cstdlib>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "server/kfuncdb_server.h"
#include "server/log.h"

namespace {

// Blocks SIGTERM and SIGINT in this thread and every thread created after
// (gRPC's), so that only sigwait() below receives them.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int main(int argc, char** argv) {
  using kfuncdb::server::LogLine;
  kfuncdb::server::ServerOptions options;
  std::string database, tls_certificate, tls_key;
  double grace_seconds = 10;

  CLI::App app{"Serves the kfuncdb.v1 gRPC API over a kfuncdb database."};
  app.add_option("--db", database, "SQLite database written by kfuncdb-ingest")->required();
  app.add_option("--listen", options.listen_address, "host:port to listen on")
      ->capture_default_str();
  auto* cert = app.add_option("--tls-cert", tls_certificate, "PEM certificate chain (enables TLS)");
  auto* key = app.add_option("--tls-key", tls_key, "PEM private key of --tls-cert");
  cert->needs(key);
  key->needs(cert);
  app.add_flag("--log-requests", options.log_requests, "log one line per call, not only errors");
  app.add_option("--readers", options.reader_connections, "read-only database connections")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--shutdown-grace", grace_seconds,
                 "seconds calls in flight may take to finish after SIGTERM/SIGINT")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  options.database = database;
  if (!tls_certificate.empty()) options.tls = kfuncdb::server::TlsFiles{tls_certificate, tls_key};

  const sigset_t stop_signals = BlockStopSignals();
  kfuncdb::server::ConfigureProcessForServing();
  auto server = kfuncdb::server::KfuncDbServer::Start(options);
  if (!server.ok()) {
    LogLine(absl::StrCat("cannot start: ", server.status().ToString()));
    return EXIT_FAILURE;
  }
  LogLine(absl::StrCat("serving ", database, " on ", options.listen_address, " (port ",
                       (*server)->port(), options.tls ? ", TLS" : ", plaintext", ")"));

  int signal = 0;
  sigwait(&stop_signals, &signal);
  LogLine(absl::StrCat("received ", signal == SIGTERM ? "SIGTERM" : "SIGINT",
                       ", draining calls for up to ", grace_seconds, "s"));
  (*server)->Shutdown(absl::Seconds(grace_seconds));
  (*server)->Wait();
  LogLine("stopped");
  return EXIT_SUCCESS;
}
