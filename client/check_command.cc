// `kfuncdb check PROG.bpf.o... [--kernel R]... [--name KFUNC]...`: reads
// the kfuncs each object imports, asks the server whether each target
// kernel offers them (CheckCompatibility), prints one verdict per kfunc and
// kernel, and fails (exit 1) per the --fail-on policy. Meant for CI, like a
// linter: the verdict table on stdout, the failure summary on stderr.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/arguments.h"
#include "client/bpf_object_kfuncs.h"
#include "client/commands.h"
#include "client/display_names.h"
#include "client/exit_codes.h"

namespace kfuncdb::client {
namespace {

// The API's limits on one CheckCompatibility request.
constexpr int kMaxKfuncs = 1000;
constexpr int kMaxTargets = 100;

bool Fails(v1::Verdict verdict, FailOn policy) {
  switch (verdict) {
    case v1::VERDICT_REMOVED:
      return true;
    case v1::VERDICT_MISSING:
      return policy != FailOn::kRemoved;
    case v1::VERDICT_DEPRECATED:
      return policy == FailOn::kDeprecated;
    default:  // AVAILABLE, and UNKNOWN: the database cannot say, so no failure.
      return false;
  }
}

std::string PolicyName(FailOn policy) {
  switch (policy) {
    case FailOn::kDeprecated:
      return "deprecated";
    case FailOn::kRemoved:
      return "removed";
    case FailOn::kMissing:
      break;
  }
  return "missing";
}

// The resolved target a result refers to; an empty Release if the server
// sent an index out of range.
const v1::Release& TargetOf(const v1::CheckCompatibilityResponse& answer,
                            const v1::CompatibilityResult& result) {
  const int index = result.target_index();
  if (index < 0 || index >= answer.targets_size()) return v1::Release::default_instance();
  return answer.targets(index);
}

// Without --kernel: every release of the lineage that has builds, newest
// last, at most kMaxTargets of them (the newest).
CommandResult DefaultTargets(Session& session, std::vector<v1::ReleaseOrBuild>* targets) {
  v1::ListReleasesRequest request;
  request.set_lineage(session.options().lineage);
  request.set_exclude_projected(true);
  v1::ListReleasesResponse all;
  auto call = [&session](grpc::ClientContext* context, const v1::ListReleasesRequest& r,
                         v1::ListReleasesResponse* page) {
    return session.stub().ListReleases(context, r, page);
  };
  if (CommandResult failed = session.FetchAllPages(request, call, &all)) return failed;
  for (const v1::Release& release : all.releases()) {
    if (release.has_builds()) targets->emplace_back().set_release(release.name());
  }
  if (targets->empty()) {
    return CommandError{kExitNotFound,
                        absl::StrCat("lineage ", all.lineage().name(),
                                     " has no ingested builds to check against; pass --kernel")};
  }
  if (targets->size() > kMaxTargets) {
    targets->erase(targets->begin(), targets->end() - kMaxTargets);
  }
  return std::nullopt;
}

}  // namespace

CommandResult RunCheck(Session& session, const CheckOptions& options) {
  if (options.objects.empty() && options.names.empty()) {
    return UsageError("check: give BPF objects (PROG.bpf.o) and/or --name KFUNC");
  }
  // kfunc -> the objects importing it ("--name" for names given directly).
  std::map<std::string, std::set<std::string>> users;
  for (const std::string& name : options.names) {
    if (auto status = ValidateKfuncName("--name", name); !status.ok()) return LocalError(status);
    users[name].insert("--name");
  }
  for (const std::filesystem::path& object : options.objects) {
    absl::StatusOr<std::vector<std::string>> kfuncs = ReadImportedKfuncs(object);
    if (!kfuncs.ok()) return LocalError(kfuncs.status());
    if (kfuncs->empty()) session.Note(absl::StrCat(object.string(), ": imports no kfuncs"));
    for (const std::string& kfunc : *kfuncs) users[kfunc].insert(object.filename().string());
  }
  if (users.empty()) {
    session.Note("nothing to check: no kfunc imported");
    return std::nullopt;
  }
  if (users.size() > kMaxKfuncs) {
    return UsageError(absl::StrCat("check: ", users.size(), " kfuncs; at most ", kMaxKfuncs,
                                   " per run"));
  }

  v1::CheckCompatibilityRequest request;
  request.set_lineage(session.options().lineage);
  for (const auto& [kfunc, unused] : users) request.add_kfuncs(kfunc);
  std::vector<v1::ReleaseOrBuild> targets;
  for (const std::string& kernel : options.kernels) {
    absl::StatusOr<v1::ReleaseOrBuild> target = ParseReleaseOrBuild("--kernel", kernel);
    if (!target.ok()) return LocalError(target.status());
    targets.push_back(*std::move(target));
  }
  if (targets.size() > kMaxTargets) {
    return UsageError(absl::StrCat("check: at most ", kMaxTargets, " --kernel targets"));
  }
  if (targets.empty()) {
    if (CommandResult failed = DefaultTargets(session, &targets)) return failed;
  }
  for (v1::ReleaseOrBuild& target : targets) *request.add_targets() = std::move(target);

  v1::CheckCompatibilityResponse answer;
  grpc::Status status =
      session.stub().CheckCompatibility(session.NewCall().get(), request, &answer);
  if (!status.ok()) return session.Failed(status);

  int failures = 0;
  for (const v1::CompatibilityResult& result : answer.results()) {
    if (Fails(result.verdict(), options.fail_on)) ++failures;
  }
  if (session.options().format == OutputFormat::kJson) {
    session.PrintJson(answer);
  } else {
    session.LabelLineage(answer.lineage());
    // BASIS: "observed" in ingested builds, or "promised" for a target past
    // the newest build (the proposal's promises: stable stays, deprecated
    // stays until its window ends).
    Table table({"KFUNC", "KERNEL", "VERDICT", "BASIS", "WINDOW_END", "REASON", "USED_BY"});
    for (const v1::CompatibilityResult& result : answer.results()) {
      const auto used_by = users.find(result.kfunc());
      table.AddRow({result.kfunc(), ReleaseLabel(TargetOf(answer, result)), VerdictName(result.verdict()),
                    result.projected() ? "promised" : "observed",
                    ReleaseWithDate(result.window_end()), result.reason(),
                    used_by == users.end() ? "" : absl::StrJoin(used_by->second, " ")});
    }
    session.PrintTable(table);
    if (session.options().format == OutputFormat::kTable) {
      session.out() << "overall: " << OverallVerdictName(answer.overall()) << '\n';
    }
  }
  if (failures == 0) return std::nullopt;
  return CommandError{kExitCheckFailed,
                      absl::StrCat("check failed: ", failures, " of ", answer.results_size(),
                                   " kfunc/kernel pairs fail --fail-on ",
                                   PolicyName(options.fail_on))};
}

}  // namespace kfuncdb::client
