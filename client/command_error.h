// CommandError: why a command stopped, as the one-line message printed on
// stderr and the exit status (exit_codes.h). Commands return it instead of
// throwing; main() prints it.
#pragma once

#include <string>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace kfuncdb::client {

struct CommandError {
  int exit_code;
  std::string message;
};

// A usage error (exit 2) with `message`.
CommandError UsageError(std::string message);

// The error for a failed RPC to `address`: UNAVAILABLE and DEADLINE_EXCEEDED
// say the server could not be reached (exit 3, naming the address);
// INVALID_ARGUMENT is a usage error (2); NOT_FOUND is 4; anything else 5.
// The server's own message is kept: it names the offending request field.
CommandError RpcError(const grpc::Status& status, const std::string& address);

// A local failure (reading an object or a CA file): InvalidArgument and
// NotFound are usage errors (2: the user named a bad file), others 5.
CommandError LocalError(const absl::Status& status);

}  // namespace kfuncdb::client
