#include "ingest/cli/stop_signal.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace kfuncdb::ingest_cli {
namespace {

std::atomic<bool> stop_requested{false};
int stop_pipe[2] = {-1, -1};

extern "C" void OnStopSignal(int) {
  stop_requested.store(true, std::memory_order_relaxed);
  char byte = 1;
  // A full pipe means a byte is already there: nothing more to say.
  [[maybe_unused]] ssize_t ignored = write(stop_pipe[1], &byte, 1);
}

}  // namespace

StopSignal& StopSignal::Install() {
  static StopSignal* const instance = [] {
    if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
      std::perror("kfuncdb-ingest: pipe2");
      std::abort();
    }
    struct sigaction action = {};
    action.sa_handler = OnStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    return new StopSignal();
  }();
  return *instance;
}

bool StopSignal::requested() const { return stop_requested.load(std::memory_order_relaxed); }

int StopSignal::fd() const { return stop_pipe[0]; }

}  // namespace kfuncdb::ingest_cli
