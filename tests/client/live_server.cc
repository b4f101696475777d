#include "tests/client/live_server.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include <grpcpp/create_channel.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/client/subprocess.h"
#include "tests/support/test_support.h"

namespace kfuncdb::client::testing {
namespace {

namespace fs = std::filesystem;

// The corpus builds the database holds when present: two releases and two
// architectures, enough for introduced/missing verdicts on real kfuncs.
const std::vector<std::string>& CorpusPackages() {
  static const std::vector<std::string> packages = {
      "linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb",
      "linux-image-6.1.0-56-cloud-arm64_6.1.192-2_arm64.deb",
      "linux-image-6.12.118+deb13-cloud-amd64_6.12.118-1_amd64.deb",
  };
  return packages;
}

std::string FileStamp(const fs::path& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  const auto time = fs::last_write_time(path, error).time_since_epoch().count();
  return absl::StrCat(path.string(), ":", size, ":", time);
}

// Runs a setup command; an error message naming it on failure.
bool RunStep(const std::vector<std::string>& argv, std::string* why) {
  ProcessResult result = RunProcess(argv);
  if (result.exit_code == 0) return true;
  *why = absl::StrCat("`", absl::StrJoin(argv, " "), "` exited ", result.exit_code, ": ",
                      result.err);
  return false;
}

// Builds the database at `db` (through a temporary file renamed into place,
// so a crash never leaves half a database under the cached name).
bool BuildDatabase(const fs::path& db, const std::vector<fs::path>& corpus, std::string* why) {
  ::kfuncdb::testing::ScratchDir work;
  const fs::path partial = db.string() + ".partial";
  fs::remove(partial);
  if (!RunStep({KFUNCDB_FIXTURE_GEN_BINARY, "example", "--out", work / "example"}, why)) {
    return false;
  }
  if (!RunStep({KFUNCDB_INGEST_BINARY, "--db", partial, "--lineage", "example", "--jobs", "2",
                work / "example"},
               why)) {
    return false;
  }
  if (!corpus.empty()) {
    std::vector<std::string> argv = {KFUNCDB_INGEST_BINARY, "--db", partial, "--jobs", "2"};
    for (const fs::path& package : corpus) argv.push_back(package);
    if (!RunStep(argv, why)) return false;
  }
  fs::rename(partial, db);
  return true;
}

// The cached database for the current binaries and corpus, built under an
// exclusive lock when missing.
bool CachedDatabase(const std::vector<fs::path>& corpus, fs::path* db, std::string* why) {
  std::string key = absl::StrCat(FileStamp(KFUNCDB_INGEST_BINARY), "|",
                                 FileStamp(KFUNCDB_FIXTURE_GEN_BINARY));
  for (const fs::path& package : corpus) absl::StrAppend(&key, "|", FileStamp(package));
  const fs::path cache_dir = fs::path(KFUNCDB_CLIENT_TEST_CACHE_DIR);
  fs::create_directories(cache_dir);
  *db = cache_dir / absl::StrCat("client-e2e-", std::hash<std::string>()(key), ".db");

  const int lock = open((cache_dir / "lock").c_str(), O_RDWR | O_CREAT, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) {
    *why = absl::StrCat("cannot lock ", (cache_dir / "lock").string());
    if (lock >= 0) close(lock);
    return false;
  }
  bool ok = fs::exists(*db);
  if (!ok) {
    // Databases of earlier binaries are stale: drop them first.
    std::vector<fs::path> stale;
    for (const fs::directory_entry& entry : fs::directory_iterator(cache_dir)) {
      if (entry.path().filename().string().starts_with("client-e2e-")) {
        stale.push_back(entry.path());
      }
    }
    for (const fs::path& path : stale) fs::remove(path);
    ok = BuildDatabase(*db, corpus, why);
  }
  close(lock);  // releases the lock
  return ok;
}

// Waits for the server's "(port N" log line.
bool WaitForPort(BackgroundProcess& server, const fs::path& log, int* port, std::string* why) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    const std::string lines = text.str();
    const size_t at = lines.find("(port ");
    if (at != std::string::npos) {
      const size_t begin = at + 6, end = lines.find_first_not_of("0123456789", begin);
      if (end != std::string::npos && absl::SimpleAtoi(lines.substr(begin, end - begin), port)) {
        return true;
      }
    }
    if (!server.Running()) {
      *why = absl::StrCat("kfuncdb-server exited: ", lines);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  *why = "kfuncdb-server did not report its port within 60 s";
  return false;
}

}  // namespace

std::string KfuncdbBinary() { return KFUNCDB_CLIENT_BINARY; }

std::unique_ptr<ServerProcess> ServerProcess::Start(const fs::path& db,
                                                    const std::vector<std::string>& extra_args,
                                                    std::string* why) {
  auto server = std::unique_ptr<ServerProcess>(new ServerProcess());
  const fs::path log = server->log_dir_ / "server.log";
  std::vector<std::string> argv = {KFUNCDB_SERVER_BINARY, "--db", db.string(), "--listen",
                                   "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  server->process_ = std::make_unique<BackgroundProcess>(argv, log);
  int port = 0;
  if (!WaitForPort(*server->process_, log, &port, why)) return nullptr;
  server->address_ = absl::StrCat("127.0.0.1:", port);
  return server;
}

LiveServer* LiveServer::Get(std::string* why) {
  // Built once per process; the server stops when the process exits.
  static std::string setup_error;
  static std::unique_ptr<LiveServer> server = [] {
    auto live = std::unique_ptr<LiveServer>(new LiveServer());
    std::vector<fs::path> corpus;
    for (const std::string& name : CorpusPackages()) {
      if (auto path = ::kfuncdb::testing::CorpusFile(name)) corpus.push_back(*path);
    }
    if (!CachedDatabase(corpus, &live->database_, &setup_error)) return std::unique_ptr<LiveServer>();
    live->process_ = ServerProcess::Start(live->database_, {}, &setup_error);
    if (live->process_ == nullptr) return std::unique_ptr<LiveServer>();
    live->has_corpus_ = corpus.size() == CorpusPackages().size();
    live->stub_ = v1::KfuncDb::NewStub(
        grpc::CreateChannel(live->address(), grpc::InsecureChannelCredentials()));
    return live;
  }();
  if (server == nullptr) *why = setup_error;
  return server.get();
}

std::vector<std::string> LiveServer::KfuncdbArgv(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {KfuncdbBinary(), "--server", address()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace kfuncdb::client::testing
