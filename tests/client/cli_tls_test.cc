// kfuncdb --tls/--ca against a kfuncdb-server serving TLS with a
// certificate made for the test by the openssl command.
#include <unistd.h>

#include "absl/strings/match.h"
#include "tests/client/cli_test_util.h"
#include "tests/support/test_support.h"

namespace kfuncdb::client::testing {
namespace {

constexpr char kOpenssl[] = "/usr/bin/openssl";

class CliTlsTest : public CliTest {};

TEST_F(CliTlsTest, TalksTlsWithTheServersCaAndNotWithoutIt) {
  if (access(kOpenssl, X_OK) != 0) GTEST_SKIP() << kOpenssl << " missing (apt-get install openssl)";
  ::kfuncdb::testing::ScratchDir dir;
  const std::string certificate = dir / "server.pem", key = dir / "server.key";
  ProcessResult made = RunProcess({kOpenssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                   "-days", "1", "-subj", "/CN=localhost", "-addext",
                                   "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out",
                                   certificate});
  ASSERT_EQ(made.exit_code, 0) << made.err;

  std::string why;
  auto tls_server = ServerProcess::Start(server_->database(),
                                         {"--tls-cert", certificate, "--tls-key", key}, &why);
  ASSERT_NE(tls_server, nullptr) << why;
  const std::string address = tls_server->address();

  ProcessResult trusted = RunProcess({KfuncdbBinary(), "--server", address, "--ca", certificate,
                                      "lineages", "--csv"});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_TRUE(absl::StrContains(trusted.out, "example,example,yes")) << trusted.out;

  // Plaintext to a TLS port, or TLS without the CA: the handshake fails,
  // reported as an unreachable server.
  for (const std::vector<std::string>& transport :
       {std::vector<std::string>{}, std::vector<std::string>{"--tls"}}) {
    std::vector<std::string> argv = {KfuncdbBinary(), "--server", address, "--timeout", "5"};
    argv.insert(argv.end(), transport.begin(), transport.end());
    argv.push_back("lineages");
    ProcessResult refused = RunProcess(argv);
    EXPECT_EQ(refused.exit_code, 3) << refused.err;
    EXPECT_TRUE(absl::StrContains(refused.err, address)) << refused.err;
  }
}

TEST(CliTlsFileTest, AnUnreadableCaFileIsAUsageError) {
  ProcessResult missing =
      RunProcess({KfuncdbBinary(), "--ca", "/nonexistent/ca.pem", "lineages"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_TRUE(absl::StartsWith(missing.err, "kfuncdb: --ca /nonexistent/ca.pem")) << missing.err;
}

}  // namespace
}  // namespace kfuncdb::client::testing
