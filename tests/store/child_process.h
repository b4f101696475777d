// Runs a binary under test as a real child process (fork + execv), with
// stdout and stderr captured in files, for end-to-end tests of
// kfuncdb-ingest. Test-only; not thread-safe.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kfuncdb::testing {

struct ProcessOutput {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
};

class ChildProcess {
 public:
  // Starts `argv` (argv[0] is the binary path). Output goes to
  // <output_dir>/<name>.out and .err. Fails the test (and has pid -1) when
  // fork fails.
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& output_dir,
               const std::string& name);
  // Kills (SIGKILL) and reaps a child still running.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // True while the child has not exited (reaps it if it has).
  bool Running();
  void Signal(int signal);
  // Waits for the exit and returns what it printed.
  ProcessOutput Wait();
  // What it has printed so far.
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path out_path_, err_path_;
};

// Runs `argv` to completion.
ProcessOutput RunProcess(const std::vector<std::string>& argv,
                         const std::filesystem::path& output_dir);

}  // namespace kfuncdb::testing
