#include "client/command_error.h"

#include "absl/strings/str_cat.h"
#include "client/exit_codes.h"

namespace kfuncdb::client {

CommandError UsageError(std::string message) { return {kExitUsage, std::move(message)}; }

CommandError RpcError(const grpc::Status& status, const std::string& address) {
  const std::string detail = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return {kExitUnreachable,
              absl::StrCat("cannot reach the kfuncdb server at ", address, ": ", detail,
                           " (start kfuncdb-server, or pass --server / set KFUNCDB_SERVER)")};
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return {kExitUnreachable, absl::StrCat("no answer from the kfuncdb server at ", address,
                                             " in time (raise --timeout?)")};
    case grpc::StatusCode::INVALID_ARGUMENT:
      return {kExitUsage, absl::StrCat("the server rejected the request: ", detail)};
    case grpc::StatusCode::NOT_FOUND:
      return {kExitNotFound, detail};
    default:
      return {kExitError, absl::StrCat("the kfuncdb server at ", address, " failed (code ",
                                       static_cast<int>(status.error_code()), "): ", detail)};
  }
}

CommandError LocalError(const absl::Status& status) {
  const bool user_input = absl::IsInvalidArgument(status) || absl::IsNotFound(status);
  return {user_input ? kExitUsage : kExitError, std::string(status.message())};
}

}  // namespace kfuncdb::client
