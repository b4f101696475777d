// How kfuncdb fails: unreachable server, unknown command, bad release
// strings, unknown kfunc. One clear line on stderr, the documented exit
// status (client/exit_codes.h), nothing on stdout, no stack trace.
#include "absl/strings/match.h"
#include "tests/client/cli_test_util.h"

namespace kfuncdb::client::testing {
namespace {

void ExpectOneLineError(const ProcessResult& result, int exit_code, const std::string& needle) {
  EXPECT_EQ(result.exit_code, exit_code) << result.err;
  EXPECT_TRUE(absl::StartsWith(result.err, "kfuncdb: ")) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, needle)) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
}

// No server needed: port 1 on loopback has no listener.
TEST(CliErrorsTest, UnreachableServerExits3NamingTheAddress) {
  ProcessResult result =
      RunProcess({KfuncdbBinary(), "--server", "127.0.0.1:1", "--timeout", "5", "releases"});
  ExpectOneLineError(result, 3, "127.0.0.1:1");

  // The address also comes from KFUNCDB_SERVER.
  ProcessResult from_env =
      RunProcess({"/usr/bin/env", "KFUNCDB_SERVER=127.0.0.1:1", KfuncdbBinary(), "kfunc", "x"});
  ExpectOneLineError(from_env, 3, "127.0.0.1:1");
}

TEST(CliErrorsTest, UnknownCommandAndOptionExit2) {
  ExpectOneLineError(RunProcess({KfuncdbBinary(), "frobnicate"}), 2, "frobnicate");
  ExpectOneLineError(RunProcess({KfuncdbBinary(), "list", "--bogus"}), 2, "--bogus");
  ExpectOneLineError(RunProcess({KfuncdbBinary()}), 2, "subcommand");
}

TEST(CliErrorsTest, MalformedArgumentsExit2BeforeAnyCall) {
  // No server listens at 127.0.0.1:1: exit 2 shows the check is client-side.
  const std::string kfuncdb = KfuncdbBinary();
  ExpectOneLineError(RunProcess({kfuncdb, "--server", "127.0.0.1:1", "list", "--at", "6.x"}), 2,
                     "\"6.x\" is not a release name");
  ExpectOneLineError(RunProcess({kfuncdb, "--server", "127.0.0.1:1", "diff", "6.1", "latest"}),
                     2, "\"latest\"");
  ExpectOneLineError(RunProcess({kfuncdb, "--server", "127.0.0.1:1", "kfunc", "bpf-task"}), 2,
                     "not a kfunc name");
  ExpectOneLineError(
      RunProcess({kfuncdb, "--server", "127.0.0.1:1", "list", "--status", "shiny"}), 2,
      "--status");
  ExpectOneLineError(RunProcess({kfuncdb, "--server", "127.0.0.1:1", "kfunc", "x", "--csv"}), 2,
                     "--csv");
  ExpectOneLineError(RunProcess({kfuncdb, "list", "--json", "--csv"}), 2, "--csv");
}

class CliServerErrorsTest : public CliTest {};

TEST_F(CliServerErrorsTest, UnknownReleaseIsTheServersInvalidArgumentExit2) {
  ExpectOneLineError(Kfuncdb({"list", "--at", "1.99"}), 2, "1.99");
  ExpectOneLineError(Kfuncdb({"--lineage", "no-such-lineage", "releases"}), 2, "no-such-lineage");
}

TEST_F(CliServerErrorsTest, UnknownKfuncExits4) {
  ExpectOneLineError(Kfuncdb({"kfunc", "bpf_kfuncdb_no_such_kfunc"}), 4,
                     "bpf_kfuncdb_no_such_kfunc");
}

}  // namespace
}  // namespace kfuncdb::client::testing
