#include "ingest/cli/releases_command.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_format.h"
#include "common/release_catalog.h"
#include "common/sqlite/migrations.h"
#include "ingest/cli/commands.h"
#include "ingest/store/lifecycle_upkeep.h"

namespace kfuncdb::ingest_cli {
namespace {

int StoreFailure(const absl::Status& status) {
  absl::FPrintF(stderr, "kfuncdb-ingest: %s\n", status.message());
  return status.code() == absl::StatusCode::kInvalidArgument ||
                 status.code() == absl::StatusCode::kFailedPrecondition
             ? kExitInputFailed
             : kExitStoreFailed;
}

}  // namespace

int RunReleasesImport(const std::filesystem::path& db_path, std::chrono::milliseconds busy_timeout,
                      const std::filesystem::path& catalog_file) {
  std::ifstream in(catalog_file, std::ios::binary);
  if (!in) {
    absl::FPrintF(stderr, "kfuncdb-ingest: cannot read release catalog %s\n", catalog_file.string());
    return kExitInputFailed;
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<ReleaseCatalog> catalog = ReleaseCatalog::Parse(text.str(), catalog_file.string());
  if (!catalog.ok()) {
    absl::FPrintF(stderr, "kfuncdb-ingest: %s\n", catalog.status().message());
    return kExitInputFailed;
  }
  absl::StatusOr<sqlite::Database> db = sqlite::OpenForWriting(db_path, sqlite::OpenOptions{busy_timeout});
  if (!db.ok()) {
    absl::FPrintF(stderr, "kfuncdb-ingest: cannot use database: %s\n", db.status().message());
    return kExitStoreFailed;
  }
  if (absl::Status status = store::ImportReleaseCatalog(*db, *catalog); !status.ok()) return StoreFailure(status);
  const ReleaseInfo& last = catalog->known().back();
  absl::PrintF("imported %d releases (%s .. %s); lifecycle recomputed\n", catalog->known().size(),
               catalog->known().front().name, last.name);
  return kExitOk;
}

int RunPolicySet(const std::filesystem::path& db_path, std::chrono::milliseconds busy_timeout,
                 const store::PolicyChange& change) {
  absl::StatusOr<sqlite::Database> db = sqlite::OpenForWriting(db_path, sqlite::OpenOptions{busy_timeout});
  if (!db.ok()) {
    absl::FPrintF(stderr, "kfuncdb-ingest: cannot use database: %s\n", db.status().message());
    return kExitStoreFailed;
  }
  if (absl::Status status = store::ChangeLifecyclePolicy(*db, change); !status.ok()) return StoreFailure(status);
  absl::PrintF("policy changed; lifecycle recomputed\n");
  return kExitOk;
}

LifecycleCommands::LifecycleCommands(CLI::App& app) {
  CLI::App* releases = app.add_subcommand("releases", "The release catalog lifecycle counts on");
  releases->require_subcommand(1);
  releases_import_ = releases->add_subcommand(
      "import", "Replace the release catalog (name<TAB>YYYY-MM-DD<TAB>approximate lines) and recompute");
  releases_import_->add_option("FILE", catalog_file_, "Catalog in the format of data/releases.tsv")
      ->required()
      ->check(CLI::ExistingFile);

  CLI::App* policy = app.add_subcommand("policy", "Lifecycle policy settings");
  policy->require_subcommand(1);
  policy_set_ = policy->add_subcommand("set", "Change the policy and recompute every lifecycle");
  policy_set_->add_option("--window", window_, "Releases a deprecated kfunc must survive (default 10)")
      ->check(CLI::Range(1, 100));
  CLI::Option* stable = policy_set_->add_option("--stable-bit", stable_bit_, "Bit of KF_STABLE in the flags word")
                            ->check(CLI::Range(0, 31));
  CLI::Option* deprecated =
      policy_set_->add_option("--deprecated-bit", deprecated_bit_, "Bit of KF_DEPRECATED in the flags word")
          ->check(CLI::Range(0, 31));
  stable->needs(deprecated);
  deprecated->needs(stable);
  policy_set_->add_option("--from", from_release_, "First release the bits apply to (default: all before)")
      ->needs(stable);
  policy_set_->add_option("--to", to_release_, "Last release the bits apply to (default: all after)")->needs(stable);
}

std::optional<int> LifecycleCommands::RunIfParsed(const std::filesystem::path& db,
                                                  std::chrono::milliseconds busy_timeout) {
  if (!releases_import_->parsed() && !policy_set_->parsed()) return std::nullopt;
  if (db.empty()) {
    absl::FPrintF(stderr, "kfuncdb-ingest: --db FILE is required\n");
    return kExitUsage;
  }
  if (releases_import_->parsed()) return RunReleasesImport(db, busy_timeout, catalog_file_);
  store::PolicyChange change;
  change.window_releases = window_;
  if (stable_bit_) {
    change.flag_bits = store::PolicyChange::FlagBits{from_release_, to_release_, *stable_bit_, *deprecated_bit_};
  }
  if (!change.window_releases && !change.flag_bits) {
    absl::FPrintF(stderr, "kfuncdb-ingest: policy set needs --window or --stable-bit/--deprecated-bit\n");
    return kExitUsage;
  }
  return RunPolicySet(db, busy_timeout, change);
}

}  // namespace kfuncdb::ingest_cli
