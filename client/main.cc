// kfuncdb: the command line of kfuncdb-server. Parses the command line and
// hands over to the command functions in client/commands.h; see
// docs/cli.md for every command, its output and the exit statuses.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <bpf/libbpf.h>

#include "client/commands.h"
#include "client/exit_codes.h"

namespace {

using namespace kfuncdb::client;

// Each subcommand's options, filled by CLI11.
struct Commands {
  KfuncOptions kfunc;
  ListOptions list;
  DeprecationsOptions deprecations;
  DiffOptions diff;
  CheckOptions check;
  std::string fail_on = "missing";
  ReleasesOptions releases;
  BuildsOptions builds;
  ViolationsOptions violations;
};

void AddGlobalOptions(CLI::App& app, GlobalOptions& global, double& timeout_seconds,
                      bool& json, bool& csv) {
  app.add_option("--server", global.connection.address,
                 "kfuncdb-server address host:port (default 127.0.0.1:50051)")
      ->envname("KFUNCDB_SERVER");
  app.add_flag("--tls", global.connection.tls, "Connect with TLS (system root certificates)");
  app.add_option("--ca", global.connection.ca_file,
                 "PEM file of the CA that signed the server's certificate (implies --tls)");
  app.add_option("--lineage", global.lineage,
                 "Lineage to ask about: mainline (default), example, debian-6.1...");
  app.add_option("--timeout", timeout_seconds, "Seconds to wait for each answer (default 10)")
      ->check(CLI::PositiveNumber);
  CLI::Option* json_flag =
      app.add_flag("--json", json, "Print the server's answer as proto3 JSON");
  app.add_flag("--csv", csv, "Print list answers as CSV (RFC 4180 quoting)")->excludes(json_flag);
}

}  // namespace

int main(int argc, char** argv) {
  // libbpf would print its own warnings about a malformed object next to
  // the one-line error `check` reports; ours names the file and the fix.
  libbpf_set_print(nullptr);
  CLI::App app{"kfuncdb: which kfuncs a kernel offers, and their lifecycle"};
  app.name("kfuncdb");
  // Global options are accepted after the command too ("kfuncdb list --json").
  app.fallthrough();
  app.require_subcommand(1);

  GlobalOptions global;
  double timeout_seconds = 10;
  bool json = false, csv = false;
  AddGlobalOptions(app, global, timeout_seconds, json, csv);
  Commands c;

  CLI::App* kfunc = app.add_subcommand("kfunc", "One kfunc's lifecycle, flags, prototypes");
  kfunc->add_option("NAME", c.kfunc.name, "kfunc name, e.g. bpf_task_acquire")->required();

  CLI::App* list = app.add_subcommand("list", "Kfuncs of the lineage, filtered");
  list->add_option("--status", c.list.status,
                   "not-yet-introduced, unstable, stable, deprecated, removed, unknown");
  list->add_option("--at", c.list.at_release, "Release the status and flags are taken at");
  list->add_option("--flag", c.list.flag, "Only kfuncs with this flag (KF_ACQUIRE, KF_STABLE)");
  list->add_option("--set", c.list.set_name, "Only kfuncs of this set (bpf_task_kfunc_ids)");
  list->add_option("--owner", c.list.owner, "Only kfuncs of vmlinux or this module");
  list->add_option("PREFIX", c.list.name_prefix, "Only names starting with this");

  CLI::App* deprecations = app.add_subcommand("deprecations", "The deprecation calendar");
  deprecations->add_option("--before", c.deprecations.before,
                           "Only windows ending before this release (6.18) or date (2026-01-31)");
  deprecations->add_flag("--include-removed", c.deprecations.include_removed,
                         "Also list deprecated kfuncs already removed");

  CLI::App* diff = app.add_subcommand("diff", "What changed between two releases or builds");
  diff->add_option("A", c.diff.from, "Release (6.1) or build id (12)")->required();
  diff->add_option("B", c.diff.to, "Release or build id")->required();

  CLI::App* check =
      app.add_subcommand("check", "Can these BPF objects run on these kernels? (exit 1: no)");
  check->add_option("OBJECT", c.check.objects, "Compiled BPF objects (clang -target bpf -g)");
  check->add_option("--kernel", c.check.kernels,
                    "Target release or build id, repeatable (default: every ingested release)");
  check->add_option("--name", c.check.names, "Also check this kfunc, repeatable");
  check->add_option("--fail-on", c.fail_on,
                    "missing (default): fail when a target lacks a kfunc; removed: only when "
                    "one was removed; deprecated: also when one is deprecated")
      ->check(CLI::IsMember({"missing", "removed", "deprecated"}));

  CLI::App* releases = app.add_subcommand("releases", "The lineage's releases, oldest first");
  releases->add_flag("--exclude-projected", c.releases.exclude_projected,
                     "Leave out projected future releases");

  CLI::App* builds = app.add_subcommand("builds", "Ingested builds (every lineage by default)");
  builds->add_option("--release", c.builds.release, "Only builds of this mainline release");
  builds->add_option("--arch", c.builds.arch, "Only builds of this architecture (amd64)");

  CLI::App* violations =
      app.add_subcommand("violations", "Broken promises of the stable-kfunc proposal");
  violations->add_option("--kind", c.violations.kind,
                         "removed-before-window-end, stable-removed-without-deprecation, ...");
  violations->add_option("--kfunc", c.violations.kfunc, "Only this kfunc");

  CLI::App* lineages = app.add_subcommand("lineages", "The lineages in the database");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports "kfuncdb frob" as a missing subcommand; name the word.
    if (!app.remaining().empty() && app.get_subcommands().empty()) {
      std::fprintf(stderr, "kfuncdb: unknown command \"%s\" (see kfuncdb --help)\n",
                   app.remaining().front().c_str());
      return kExitUsage;
    }
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::fprintf(stderr, "kfuncdb: %s (see kfuncdb --help)\n", e.what());
    return kExitUsage;
  }

  global.connection.timeout =
      std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000));
  global.format = json ? OutputFormat::kJson : csv ? OutputFormat::kCsv : OutputFormat::kTable;
  c.check.fail_on = c.fail_on == "deprecated" ? FailOn::kDeprecated
                    : c.fail_on == "removed"  ? FailOn::kRemoved
                                              : FailOn::kMissing;

  auto stub = MakeStub(global.connection);
  if (!stub.ok()) {
    std::fprintf(stderr, "kfuncdb: %s\n", std::string(stub.status().message()).c_str());
    return LocalError(stub.status()).exit_code;
  }
  Session session(**stub, global, std::cout, std::cerr);

  CommandResult result;
  if (kfunc->parsed()) {
    result = RunKfunc(session, c.kfunc);
  } else if (list->parsed()) {
    result = RunList(session, c.list);
  } else if (deprecations->parsed()) {
    result = RunDeprecations(session, c.deprecations);
  } else if (diff->parsed()) {
    result = RunDiff(session, c.diff);
  } else if (check->parsed()) {
    result = RunCheck(session, c.check);
  } else if (releases->parsed()) {
    result = RunReleases(session, c.releases);
  } else if (builds->parsed()) {
    result = RunBuilds(session, c.builds);
  } else if (violations->parsed()) {
    result = RunViolations(session, c.violations);
  } else if (lineages->parsed()) {
    result = RunLineages(session);
  }
  std::cout.flush();
  if (!result) return kExitOk;
  std::fprintf(stderr, "kfuncdb: %s\n", result->message.c_str());
  return result->exit_code;
}
