// The list-shaped commands: list, releases, builds, violations, lineages.
// Each fetches every page, then prints the merged answer as JSON or as a
// table (aligned or CSV) of the same rows.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/arguments.h"
#include "client/commands.h"
#include "client/display_names.h"

namespace kfuncdb::client {
namespace {

std::string YesNo(bool value) { return value ? "yes" : "no"; }

}  // namespace

CommandResult RunList(Session& session, const ListOptions& options) {
  v1::ListKfuncsRequest request;
  request.set_lineage(session.options().lineage);
  if (!options.status.empty()) {
    std::optional<v1::KfuncStatus> status = ParseStatusName(options.status);
    if (!status) {
      return UsageError(absl::StrCat(
          "--status: \"", options.status,
          "\" is not a status (not-yet-introduced, unstable, stable, deprecated, removed, "
          "unknown)"));
    }
    request.set_status(*status);
  }
  if (!options.at_release.empty()) {
    if (auto status = ValidateReleaseName("--at", options.at_release); !status.ok()) {
      return LocalError(status);
    }
    request.set_at_release(options.at_release);
  }
  request.set_flag(options.flag);
  request.set_set_name(options.set_name);
  request.set_owner(options.owner);
  request.set_name_prefix(options.name_prefix);

  v1::ListKfuncsResponse all;
  auto call = [&session](grpc::ClientContext* context, const v1::ListKfuncsRequest& r,
                         v1::ListKfuncsResponse* page) {
    return session.stub().ListKfuncs(context, r, page);
  };
  if (CommandResult failed = session.FetchAllPages(request, call, &all)) return failed;

  if (session.options().format == OutputFormat::kJson) {
    session.PrintJson(all);
    return std::nullopt;
  }
  session.LabelLineage(all.lineage());
  Table table({"KFUNC", "STATUS", "FLAGS", "FLAG_NAMES", "INTRODUCED", "DEPRECATED",
               "WINDOW_END"});
  for (const v1::KfuncSummary& kfunc : all.kfuncs()) {
    table.AddRow({kfunc.name(), StatusName(kfunc.status()),
                  FlagsHex(kfunc.has_flags(), kfunc.flags()),
                  absl::StrJoin(kfunc.flag_names(), "|"), ReleaseLabel(kfunc.introduced_in()),
                  ReleaseLabel(kfunc.deprecated_since()), ReleaseWithDate(kfunc.window_end())});
  }
  session.PrintTable(table);
  if (session.options().format == OutputFormat::kTable) {
    session.out() << all.kfuncs_size() << " kfuncs in " << all.lineage().name() << " at "
                  << ReleaseLabel(all.at_release()) << '\n';
  }
  return std::nullopt;
}

CommandResult RunReleases(Session& session, const ReleasesOptions& options) {
  v1::ListReleasesRequest request;
  request.set_lineage(session.options().lineage);
  request.set_exclude_projected(options.exclude_projected);
  v1::ListReleasesResponse all;
  auto call = [&session](grpc::ClientContext* context, const v1::ListReleasesRequest& r,
                         v1::ListReleasesResponse* page) {
    return session.stub().ListReleases(context, r, page);
  };
  if (CommandResult failed = session.FetchAllPages(request, call, &all)) return failed;

  if (session.options().format == OutputFormat::kJson) {
    session.PrintJson(all);
    return std::nullopt;
  }
  session.LabelLineage(all.lineage());
  Table table({"RELEASE", "DATE", "PROJECTED", "BUILDS", "MAINLINE"});
  for (const v1::Release& release : all.releases()) {
    std::string date = release.date();
    if (!date.empty() && release.date_approximate()) date = "~" + date;
    table.AddRow({release.name(), date, YesNo(release.projected()), YesNo(release.has_builds()),
                  release.mainline_release()});
  }
  session.PrintTable(table);
  return std::nullopt;
}

CommandResult RunBuilds(Session& session, const BuildsOptions& options) {
  v1::ListBuildsRequest request;
  request.set_lineage(session.options().lineage);
  if (!options.release.empty()) {
    if (auto status = ValidateReleaseName("--release", options.release); !status.ok()) {
      return LocalError(status);
    }
    request.set_release(options.release);
  }
  request.set_arch(options.arch);
  v1::ListBuildsResponse all;
  auto call = [&session](grpc::ClientContext* context, const v1::ListBuildsRequest& r,
                         v1::ListBuildsResponse* page) {
    return session.stub().ListBuilds(context, r, page);
  };
  if (CommandResult failed = session.FetchAllPages(request, call, &all)) return failed;

  if (session.options().format == OutputFormat::kJson) {
    session.PrintJson(all);
    return std::nullopt;
  }
  Table table({"ID", "KERNEL_RELEASE", "RELEASE", "ARCH", "FLAVOUR", "LINEAGE", "FLAGS_KNOWN",
               "KFUNCS", "MODULES", "INGESTED_AT"});
  for (const v1::Build& build : all.builds()) {
    // Builds of several lineages can share one list: the example label goes
    // on each example row rather than once on top.
    std::string lineage = build.lineage().name();
    if (build.lineage().example_data()) lineage += " (EXAMPLE DATA)";
    table.AddRow({absl::StrCat(build.id()), build.kernel_release(), build.release(),
                  build.arch(), build.flavour(), lineage, YesNo(build.flags_known()),
                  absl::StrCat(build.kfunc_count()), absl::StrCat(build.modules_scanned()),
                  build.ingested_at()});
  }
  session.PrintTable(table);
  return std::nullopt;
}

CommandResult RunViolations(Session& session, const ViolationsOptions& options) {
  v1::ListViolationsRequest request;
  request.set_lineage(session.options().lineage);
  if (!options.kind.empty()) {
    std::optional<v1::ViolationKind> kind = ParseViolationKindName(options.kind);
    if (!kind) {
      return UsageError(absl::StrCat(
          "--kind: \"", options.kind,
          "\" is not a violation kind (removed-before-window-end, "
          "stable-removed-without-deprecation, prototype-changed-while-stable, "
          "stable-cleared-without-deprecation, removed-name-reused)"));
    }
    request.set_kind(*kind);
  }
  if (!options.kfunc.empty()) {
    if (auto status = ValidateKfuncName("--kfunc", options.kfunc); !status.ok()) {
      return LocalError(status);
    }
    request.set_kfunc(options.kfunc);
  }
  v1::ListViolationsResponse all;
  auto call = [&session](grpc::ClientContext* context, const v1::ListViolationsRequest& r,
                         v1::ListViolationsResponse* page) {
    return session.stub().ListViolations(context, r, page);
  };
  if (CommandResult failed = session.FetchAllPages(request, call, &all)) return failed;

  if (session.options().format == OutputFormat::kJson) {
    session.PrintJson(all);
    return std::nullopt;
  }
  session.LabelLineage(all.lineage());
  Table table({"KFUNC", "KIND", "RELEASE", "DETAIL"});
  for (const v1::Violation& violation : all.violations()) {
    table.AddRow({violation.kfunc(), ViolationKindName(violation.kind()),
                  violation.release().name(), violation.detail()});
  }
  session.PrintTable(table);
  return std::nullopt;
}

CommandResult RunLineages(Session& session) {
  v1::ListLineagesResponse answer;
  grpc::Status status =
      session.stub().ListLineages(session.NewCall().get(), v1::ListLineagesRequest(), &answer);
  if (!status.ok()) return session.Failed(status);
  if (session.options().format == OutputFormat::kJson) {
    session.PrintJson(answer);
    return std::nullopt;
  }
  Table table({"LINEAGE", "KIND", "EXAMPLE_DATA", "DESCRIPTION"});
  for (const v1::Lineage& lineage : answer.lineages()) {
    table.AddRow({lineage.name(), LineageKindName(lineage.kind()),
                  YesNo(lineage.example_data()), lineage.description()});
  }
  session.PrintTable(table);
  return std::nullopt;
}

}  // namespace kfuncdb::client
