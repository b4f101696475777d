// kfuncdb-ingest: kernel builds -> the kfuncdb store.
//
//   kfuncdb-ingest --db FILE [--release R] [--arch A] [--lineage L] [--jobs N] INPUT...
//   kfuncdb-ingest --db FILE --watch DIR [...]
//   kfuncdb-ingest inspect [--json] [--release R] [--arch A] INPUT...
//
// Exit statuses: see ingest/cli/commands.h.
#include <thread>

#include <CLI/CLI.hpp>

#include "ingest/cli/commands.h"
#include "ingest/cli/releases_command.h"

namespace {

using kfuncdb::ingest_cli::BuildOptions;

// Flags shared by ingesting and inspecting: how to read the builds.
void AddBuildFlags(CLI::App& app, BuildOptions& build) {
  app.add_option("--release", build.extract.release_override,
                 "Kernel release (\"6.18.44\") of inputs that do not tell it (raw BTF); "
                 "packages and images keep their own");
  app.add_option("--arch", build.extract.arch_override,
                 "Debian architecture name (amd64, arm64); without it, raw BTF's is "
                 "told by its struct pt_regs");
  app.add_option("--stable-bit", build.extract.flag_positions.stable_bit,
                 "Bit position of KF_STABLE in the kfunc flags word")
      ->check(CLI::Range(0, 31));
  app.add_option("--deprecated-bit", build.extract.flag_positions.deprecated_bit,
                 "Bit position of KF_DEPRECATED in the kfunc flags word")
      ->check(CLI::Range(0, 31));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kfuncdb::ingest_cli;
  CLI::App app{"kfuncdb-ingest: extract kfuncs from kernel builds into a kfuncdb store"};
  app.require_subcommand(0, 1);

  BuildOptions build;
  StoreOptions store;
  store.jobs = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path watch_dir;
  int busy_timeout_ms = 5000;
  int split_wait_seconds = 600;
  app.add_option("--db", store.db, "SQLite store to write (created when missing)");
  app.add_option("--lineage", build.lineage,
                 "Lineage to file the builds under (default: from each build's identity: "
                 "mainline, or <distribution>-<release>)");
  app.add_option("--jobs,-j", store.jobs, "Extraction threads (default: the number of cores)")
      ->check(CLI::PositiveNumber);
  app.add_option("--watch", watch_dir,
                 "Worker mode: ingest DIR's files, then each new one as it lands; failures go "
                 "to DIR/.failed/")
      ->check(CLI::ExistingDirectory);
  app.add_option("--split-wait", split_wait_seconds,
                 "With --watch: seconds a Debian split package (linux-binary-*, "
                 "linux-modules-*) waits for its sibling before it is ingested alone")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--busy-timeout-ms", busy_timeout_ms,
                 "How long to wait for another writer's lock before failing")
      ->check(CLI::NonNegativeNumber);
  AddBuildFlags(app, build);
  app.add_option("INPUT", inputs,
                 "Packages (.deb), kernel images, vmlinux, raw BTF, modules, compressed files, "
                 "folders");

  CLI::App* inspect = app.add_subcommand("inspect", "Extract and print builds; no database");
  bool json = false;
  BuildOptions inspect_build;
  std::vector<std::filesystem::path> inspect_inputs;
  inspect->add_flag("--json", json, "One JSON object per build (an array for several)");
  AddBuildFlags(*inspect, inspect_build);
  inspect->add_option("INPUT", inspect_inputs, "Inputs, as for ingesting")->required();
  LifecycleCommands lifecycle(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? kExitOk : kExitUsage;
  }

  if (inspect->parsed()) return RunInspect(inspect_inputs, inspect_build, json);

  store.busy_timeout = std::chrono::milliseconds(busy_timeout_ms);
  if (std::optional<int> status = lifecycle.RunIfParsed(store.db, store.busy_timeout)) return *status;
  auto usage = [&](const char* message) {
    std::fprintf(stderr, "kfuncdb-ingest: %s\n%s", message, app.help().c_str());
    return kExitUsage;
  };
  if (store.db.empty()) return usage("--db FILE is required to ingest");
  if (!watch_dir.empty()) {
    if (!inputs.empty()) return usage("--watch takes no INPUT arguments");
    return RunWatch(watch_dir, store, build, std::chrono::seconds(split_wait_seconds));
  }
  if (inputs.empty()) return usage("no INPUT given");
  return RunIngest(inputs, store, build);
}
