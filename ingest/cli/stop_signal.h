// StopSignal: SIGINT and SIGTERM turned into a request to stop, which the
// ingest loops honour between transactions (a write in progress always
// finishes, so the database never holds half a build, and the process
// exits 0).
//
// Install() sets process-wide handlers once; the handler only stores a flag
// and writes a byte to a pipe (both async-signal-safe), so loops can either
// poll requested() or wait on fd() together with their other descriptors.
#pragma once

namespace kfuncdb::ingest_cli {

class StopSignal {
 public:
  // Installs the handlers on first call; later calls return the same object.
  static StopSignal& Install();

  bool requested() const;
  // Readable once a stop has been requested (never drained: stays readable).
  int fd() const;

 private:
  StopSignal() = default;
};

}  // namespace kfuncdb::ingest_cli
