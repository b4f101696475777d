// The `kfuncdb` commands, one function each: options in, answer printed to
// the session's stream, CommandResult out (nullopt = exit 0). main.cc only
// parses the command line; tests call these directly or run the binary.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "client/session.h"

namespace kfuncdb::client {

// `kfuncdb kfunc NAME`: the lifecycle at a glance.
struct KfuncOptions {
  std::string name;
};
CommandResult RunKfunc(Session& session, const KfuncOptions& options);

// `kfuncdb list`: kfuncs of the lineage, filtered.
struct ListOptions {
  std::string status;  // short status name, see display_names.h; empty: any
  std::string at_release;
  std::string flag;
  std::string set_name;
  std::string owner;
  std::string name_prefix;
};
CommandResult RunList(Session& session, const ListOptions& options);

// `kfuncdb deprecations`: the calendar.
struct DeprecationsOptions {
  // A release ("6.18") or a date ("2026-01-01"); empty: no bound.
  std::string before;
  bool include_removed = false;
};
CommandResult RunDeprecations(Session& session, const DeprecationsOptions& options);

// `kfuncdb diff A B`: releases or build ids.
struct DiffOptions {
  std::string from;
  std::string to;
};
CommandResult RunDiff(Session& session, const DiffOptions& options);

// `kfuncdb check`: can these BPF objects load on these kernels?
enum class FailOn {
  kDeprecated,  // fail on missing, removed or deprecated
  kMissing,     // fail on missing or removed (default)
  kRemoved,     // fail on removed only (programs probing __weak kfuncs)
};
struct CheckOptions {
  std::vector<std::filesystem::path> objects;
  // Releases or build ids; empty: every release of the lineage with builds.
  std::vector<std::string> kernels;
  // Kfuncs to check besides the objects' imports.
  std::vector<std::string> names;
  FailOn fail_on = FailOn::kMissing;
};
CommandResult RunCheck(Session& session, const CheckOptions& options);

// `kfuncdb releases`.
struct ReleasesOptions {
  bool exclude_projected = false;
};
CommandResult RunReleases(Session& session, const ReleasesOptions& options);

// `kfuncdb builds` (every lineage unless --lineage is given).
struct BuildsOptions {
  std::string release;
  std::string arch;
};
CommandResult RunBuilds(Session& session, const BuildsOptions& options);

// `kfuncdb violations`.
struct ViolationsOptions {
  std::string kind;  // short kind name; empty: every kind
  std::string kfunc;
};
CommandResult RunViolations(Session& session, const ViolationsOptions& options);

// `kfuncdb lineages`.
CommandResult RunLineages(Session& session);

}  // namespace kfuncdb::client
