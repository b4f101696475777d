// The kfuncdb-server binary as an operator runs it: flags, its log lines,
// serving on the port it reports, and SIGTERM / SIGINT ending it with exit
// status 0. The tests pass --shutdown-grace 1: gRPC keeps a drained
// server's shutdown waiting for the grace period while a client connection
// is still open, which would only make the tests slow.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/numbers.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "proto/kfuncdb/v1/kfuncdb.grpc.pb.h"
#include "tests/server/ingested_database.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace kfuncdb::server {
namespace {

using ::testing::HasSubstr;

const char kServerBinary[] = KFUNCDB_BINARY_DIR "/server/kfuncdb-server";

// A child kfuncdb-server whose stderr the test reads.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> args) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) {
      ADD_FAILURE() << "pipe failed";
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    args.insert(args.begin(), kServerBinary);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, kServerBinary, &actions, nullptr, argv.data(), environ) != 0) {
      ADD_FAILURE() << "cannot run " << kServerBinary;
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    stderr_fd_ = pipe_fds[0];
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stderr_fd_ >= 0) close(stderr_fd_);
  }

  // Reads stderr until a line contains `text` (true) or the process closes
  // it (false). Everything read is kept in log().
  bool WaitForLog(const std::string& text) {
    while (log_.find(text) == std::string::npos) {
      char buffer[512];
      ssize_t n = read(stderr_fd_, buffer, sizeof(buffer));
      if (n <= 0) return false;
      log_.append(buffer, static_cast<size_t>(n));
    }
    return true;
  }

  // The port from the start line "... (port N, plaintext)".
  int Port() {
    if (!WaitForLog(", plaintext)")) return 0;
    size_t at = log_.find("(port ") + 6;
    int port = 0;
    EXPECT_TRUE(absl::SimpleAtoi(log_.substr(at, log_.find(',', at) - at), &port)) << log_;
    return port;
  }

  // Sends `signal` and returns the exit status (-1 when killed by a signal).
  int StopWith(int signal) {
    kill(pid_, signal);
    return Wait();
  }
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    WaitForLog("\x01");  // drain stderr up to EOF
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& log() const { return log_; }

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string log_;
};

grpc::health::v1::HealthCheckResponse::ServingStatus Health(int port) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.status();
}

TEST(ServerBinaryTest, ServesUntilSigtermThenExitsZero) {
  ServerProcess server({"--db", testing::ExampleDatabase().string(), "--listen", "127.0.0.1:0",
                        "--shutdown-grace", "1"});
  const int port = server.Port();
  ASSERT_GT(port, 0) << server.log();
  EXPECT_EQ(Health(port), grpc::health::v1::HealthCheckResponse::SERVING);

  auto stub = v1::KfuncDb::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  v1::GetKfuncRequest request;
  request.set_name("bpf_example_cast");
  request.set_lineage("example");
  v1::Kfunc kfunc;
  ASSERT_TRUE(stub->GetKfunc(&context, request, &kfunc).ok());
  stub.reset();

  EXPECT_EQ(server.StopWith(SIGTERM), 0) << server.log();
  EXPECT_THAT(server.log(), HasSubstr("received SIGTERM"));
  EXPECT_THAT(server.log(), HasSubstr("stopped"));
  EXPECT_THAT(server.log(), ::testing::Not(HasSubstr("GetKfunc"))) << "no line per request by default";
}

TEST(ServerBinaryTest, LogsRequestsWhenAskedAndStopsOnSigint) {
  ServerProcess server({"--db", testing::ExampleDatabase().string(), "--listen", "127.0.0.1:0",
                        "--shutdown-grace", "1", "--log-requests"});
  const int port = server.Port();
  ASSERT_GT(port, 0) << server.log();
  auto stub = v1::KfuncDb::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  v1::GetKfuncRequest request;
  request.set_name("bpf_example_nope");
  request.set_lineage("example");
  v1::Kfunc kfunc;
  EXPECT_EQ(stub->GetKfunc(&context, request, &kfunc).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(server.WaitForLog("GetKfunc NOT_FOUND"));
  EXPECT_EQ(server.StopWith(SIGINT), 0) << server.log();
}

TEST(ServerBinaryTest, FailsToStartOnAMissingDatabase) {
  testing::ScratchDir dir;
  ServerProcess server({"--db", (dir / "absent.db").string(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(server.Wait(), 1);
  EXPECT_THAT(server.log(), HasSubstr("cannot start"));
  EXPECT_THAT(server.log(), HasSubstr("absent.db"));
}

}  // namespace
}  // namespace kfuncdb::server
