// The lifecycle settings commands of kfuncdb-ingest:
//
//   kfuncdb-ingest --db FILE releases import CATALOG.tsv
//       replaces the release catalog (format of data/releases.tsv: new
//       releases, corrected dates) and recomputes every lifecycle, without
//       a rebuild.
//   kfuncdb-ingest --db FILE policy set [--window N]
//       [--stable-bit B --deprecated-bit B [--from R] [--to R]]
//       changes the lifecycle policy and recomputes every lifecycle.
//
// Both run in one transaction: a reader sees the old or the new lifecycle,
// never a mix. Exit statuses as in commands.h (1: the catalog file or the
// change is invalid; 3: the database cannot be used).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "ingest/store/lifecycle_settings.h"

namespace kfuncdb::ingest_cli {

int RunReleasesImport(const std::filesystem::path& db, std::chrono::milliseconds busy_timeout,
                      const std::filesystem::path& catalog_file);

int RunPolicySet(const std::filesystem::path& db, std::chrono::milliseconds busy_timeout,
                 const store::PolicyChange& change);

// Registers the `releases` and `policy` subcommands on `app` (which owns
// --db); RunIfParsed() runs the one given on the command line.
class LifecycleCommands {
 public:
  explicit LifecycleCommands(CLI::App& app);

  // nullopt when neither subcommand was given; else the exit status.
  std::optional<int> RunIfParsed(const std::filesystem::path& db, std::chrono::milliseconds busy_timeout);

 private:
  CLI::App* releases_import_ = nullptr;
  CLI::App* policy_set_ = nullptr;
  std::filesystem::path catalog_file_;
  std::optional<int> window_;
  std::optional<int> stable_bit_;
  std::optional<int> deprecated_bit_;
  std::string from_release_;
  std::string to_release_;
};

}  // namespace kfuncdb::ingest_cli
