// The exit statuses of `kfuncdb`, one per kind of outcome so scripts and CI
// jobs can branch on them (documented in docs/cli.md).
#pragma once

namespace kfuncdb::client {

inline constexpr int kExitOk = 0;
// `check`: some kfunc is missing on a target or past the --fail-on policy.
inline constexpr int kExitCheckFailed = 1;
// Bad command line: unknown command or option, malformed argument (a
// release, date or kfunc name), or a request the server rejected as
// INVALID_ARGUMENT (for example a release the lineage does not know).
inline constexpr int kExitUsage = 2;
// The server could not be reached or did not answer in time.
inline constexpr int kExitUnreachable = 3;
// The server has no such kfunc or build (NOT_FOUND).
inline constexpr int kExitNotFound = 4;
// Anything else: the server failed (INTERNAL, UNIMPLEMENTED...), or a local
// file (--ca) could not be read.
inline constexpr int kExitError = 5;

}  // namespace kfuncdb::client
