// Running the real binaries from tests: one-shot commands with their
// output captured, and a background process (the server) stopped on
// destruction.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace kfuncdb::client::testing {

struct ProcessResult {
  // Exit status, or 128 + signal number when killed by a signal.
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with `argv`, waits, returns its status and output.
// Fails the current test (and returns exit_code -1) when it cannot start.
ProcessResult RunProcess(const std::vector<std::string>& argv);

// A child process running until Stop() or destruction (SIGTERM, then wait).
// Its stderr goes to `log`, its stdout to /dev/null.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~BackgroundProcess() { Stop(); }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  bool started() const { return pid_ > 0; }
  // True while the child has not exited.
  bool Running();
  // SIGTERM and wait; returns the exit status (as ProcessResult::exit_code).
  int Stop();

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

}  // namespace kfuncdb::client::testing
