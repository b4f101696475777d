#include "tests/store/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace kfuncdb::testing {
namespace {

int ExitCodeOf(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
}

std::string ReadIfExists(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec) ? ReadFileOrFail(path) : std::string();
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::filesystem::path& output_dir, const std::string& name)
    : out_path_(output_dir / (name + ".out")), err_path_(output_dir / (name + ".err")) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null = open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || null < 0) _exit(126);
    dup2(null, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(args[0], args.data());
    _exit(127);
  }
  if (pid_ < 0) ADD_FAILURE() << "fork failed for " << argv[0];
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_code_.has_value()) {
    kill(pid_, SIGKILL);
    int status;
    waitpid(pid_, &status, 0);
  }
}

bool ChildProcess::Running() {
  if (pid_ <= 0 || exit_code_.has_value()) return false;
  int status;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_code_ = ExitCodeOf(status);
    return false;
  }
  return true;
}

void ChildProcess::Signal(int signal) {
  if (pid_ > 0 && !exit_code_.has_value()) kill(pid_, signal);
}

ProcessOutput ChildProcess::Wait() {
  if (pid_ > 0 && !exit_code_.has_value()) {
    int status;
    waitpid(pid_, &status, 0);
    exit_code_ = ExitCodeOf(status);
  }
  return ProcessOutput{exit_code_.value_or(-1), Stdout(), Stderr()};
}

std::string ChildProcess::Stdout() const { return ReadIfExists(out_path_); }
std::string ChildProcess::Stderr() const { return ReadIfExists(err_path_); }

ProcessOutput RunProcess(const std::vector<std::string>& argv,
                         const std::filesystem::path& output_dir) {
  static int runs = 0;
  ChildProcess child(argv, output_dir, "run" + std::to_string(++runs));
  return child.Wait();
}

}  // namespace kfuncdb::testing
