#include "tests/client/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

extern char** environ;

namespace kfuncdb::client::testing {
namespace {

// posix_spawn with stdout and stderr sent to the given files.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_path,
            const std::string& err_path) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    ADD_FAILURE() << "cannot start " << argv[0] << ": " << strerror(error);
    return -1;
  }
  return pid;
}

int WaitFor(pid_t pid, int options, bool* exited) {
  int status = 0;
  pid_t done;
  do {
    done = waitpid(pid, &status, options);
  } while (done < 0 && errno == EINTR);
  *exited = done == pid;
  if (!*exited) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv) {
  ::kfuncdb::testing::ScratchDir dir;
  const std::string out = dir / "stdout", err = dir / "stderr";
  ProcessResult result;
  const pid_t pid = Spawn(argv, out, err);
  if (pid < 0) return result;
  bool exited = false;
  result.exit_code = WaitFor(pid, 0, &exited);
  result.out = ::kfuncdb::testing::ReadFileOrFail(out);
  result.err = ::kfuncdb::testing::ReadFileOrFail(err);
  return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::filesystem::path& log)
    : pid_(Spawn(argv, "/dev/null", log.string())) {}

bool BackgroundProcess::Running() {
  if (pid_ <= 0) return false;
  bool exited = false;
  const int code = WaitFor(pid_, WNOHANG, &exited);
  if (!exited) return true;
  exit_code_ = code;
  pid_ = -1;
  return false;
}

int BackgroundProcess::Stop() {
  if (Running()) {
    kill(pid_, SIGTERM);
    bool exited = false;
    exit_code_ = WaitFor(pid_, 0, &exited);
    pid_ = -1;
  }
  return exit_code_;
}

}  // namespace kfuncdb::client::testing
