// `kfuncdb kfunc NAME`: one kfunc's lifecycle at a glance, then its flag,
// prototype, status and availability history, violations and conflicts.
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/arguments.h"
#include "client/commands.h"
#include "client/display_names.h"

namespace kfuncdb::client {
namespace {

// "in 3 releases" / "this release" / "2 releases ago", counted in catalog
// positions from the newest point with builds (never by version arithmetic).
std::string ReleasesFromNow(const v1::Release& release, const v1::Release& now) {
  const int distance = release.ordinal() - now.ordinal();
  auto plural = [](int n) { return absl::StrCat(n, n == 1 ? " release" : " releases"); };
  if (distance > 0) return absl::StrCat("in ", plural(distance), " after ", now.name());
  if (distance == 0) return absl::StrCat("at ", now.name(), ", the newest ingested release");
  return absl::StrCat(plural(-distance), " before ", now.name());
}

std::string Introduced(const v1::Lifecycle& lifecycle) {
  const std::string in = ReleaseWithDate(lifecycle.introduced_in());
  if (!lifecycle.has_introduced_after()) return absl::StrCat(in, " (present in the oldest data)");
  if (lifecycle.introduced_exact()) {
    return absl::StrCat(in, " (absent in ", lifecycle.introduced_after().name(), ")");
  }
  return absl::StrCat("between ", lifecycle.introduced_after().name(), " (absent) and ", in,
                      " (present); releases in between not ingested");
}

std::string StableOrDeprecated(const v1::Lifecycle& lifecycle, bool has, const v1::Release& r) {
  if (!lifecycle.stability_known()) return "unknown (no build with known flags)";
  return has ? ReleaseWithDate(r) : "never";
}

std::string Removed(const v1::Kfunc& kfunc) {
  const v1::Lifecycle& lifecycle = kfunc.lifecycle();
  if (!lifecycle.has_removed_in()) {
    return absl::StrCat("no (present at ", kfunc.status_at().name(), ")");
  }
  const std::string in = ReleaseWithDate(lifecycle.removed_in());
  if (lifecycle.removed_exact()) {
    return absl::StrCat(in, " (last present in ", lifecycle.last_present().name(), ")");
  }
  return absl::StrCat("between ", lifecycle.last_present().name(), " (present) and ", in,
                      " (absent); releases in between not ingested");
}

void PrintSummary(Session& session, const v1::Kfunc& kfunc) {
  const v1::Lifecycle& lifecycle = kfunc.lifecycle();
  Table summary({"", ""});
  summary.AddRow({"status", absl::StrCat(StatusName(kfunc.status()), " at ",
                                         ReleaseLabel(kfunc.status_at()))});
  summary.AddRow({"introduced", Introduced(lifecycle)});
  summary.AddRow({"stable since", StableOrDeprecated(lifecycle, lifecycle.has_stable_since(),
                                                     lifecycle.stable_since())});
  summary.AddRow({"deprecated since",
                  StableOrDeprecated(lifecycle, lifecycle.has_deprecated_since(),
                                     lifecycle.deprecated_since())});
  if (lifecycle.has_window_end()) {
    summary.AddRow({"window end",
                    absl::StrCat(ReleaseWithDate(lifecycle.window_end()), ", ",
                                 ReleasesFromNow(lifecycle.window_end(), kfunc.status_at()),
                                 " (", lifecycle.window_releases(),
                                 "-release window; last release it must be in)")});
    summary.AddRow({"earliest removal",
                    absl::StrCat(ReleaseWithDate(lifecycle.earliest_removal()), ", ",
                                 ReleasesFromNow(lifecycle.earliest_removal(),
                                                 kfunc.status_at()))});
  }
  summary.AddRow({"removed", Removed(kfunc)});
  std::vector<std::string> sets;
  for (const v1::SetMembership& set : kfunc.sets()) {
    sets.push_back(absl::StrCat(set.set_name().empty() ? "(unnamed set)" : set.set_name(), " (",
                                set.owner(), ")"));
  }
  summary.AddRow({"sets", sets.empty() ? "none known" : absl::StrJoin(sets, ", ")});
  summary.WriteAligned(session.out(), /*with_header=*/false);
}

// A titled sub-table, or "title: none" when it has no rows.
void PrintSection(Session& session, const std::string& title, const Table& table) {
  if (table.rows().empty()) {
    session.out() << '\n' << title << ": none\n";
    return;
  }
  session.out() << '\n' << title << ":\n";
  std::ostringstream text;
  table.WriteAligned(text);
  std::istringstream lines(text.str());
  for (std::string line; std::getline(lines, line);) session.out() << "  " << line << '\n';
}

// Where the kfunc was seen per architecture/flavour, and where not: an
// availability range that starts after the introduction or ends before the
// last presence means some builds of those releases lacked it (or there was
// no build of that architecture then, which says nothing; see DOMAIN.md).
Table AvailabilityTable(const v1::Kfunc& kfunc) {
  const v1::Lifecycle& lifecycle = kfunc.lifecycle();
  Table table({"ARCH", "FLAVOUR", "SEEN", "NOT SEEN"});
  for (const v1::Availability& where : kfunc.availability()) {
    std::vector<std::string> gaps;
    if (where.range().first().ordinal() > lifecycle.introduced_in().ordinal()) {
      gaps.push_back(absl::StrCat("before ", where.range().first().name()));
    }
    if (where.range().last().ordinal() < lifecycle.last_present().ordinal()) {
      gaps.push_back(absl::StrCat("after ", where.range().last().name()));
    }
    table.AddRow({where.arch(), where.flavour(), RangeLabel(where.range()),
                  absl::StrJoin(gaps, ", ")});
  }
  return table;
}

}  // namespace

CommandResult RunKfunc(Session& session, const KfuncOptions& options) {
  if (auto status = ValidateKfuncName("NAME", options.name); !status.ok()) {
    return LocalError(status);
  }
  if (session.options().format == OutputFormat::kCsv) return session.RejectCsv("kfunc");
  v1::GetKfuncRequest request;
  request.set_name(options.name);
  request.set_lineage(session.options().lineage);
  v1::Kfunc kfunc;
  grpc::Status status = session.stub().GetKfunc(session.NewCall().get(), request, &kfunc);
  if (!status.ok()) return session.Failed(status);
  if (session.options().format == OutputFormat::kJson) {
    session.PrintJson(kfunc);
    return std::nullopt;
  }

  session.out() << kfunc.name() << "  (lineage " << kfunc.lineage().name() << ")\n";
  session.LabelLineage(kfunc.lineage());
  PrintSummary(session, kfunc);

  Table flags({"RELEASES", "FLAGS", "NAMES"});
  for (const v1::FlagRun& run : kfunc.flag_history()) {
    flags.AddRow({RangeLabel(run.range()),
                  run.has_flags() ? FlagsHex(true, run.flags()) : "unknown",
                  absl::StrJoin(run.flag_names(), "|")});
  }
  PrintSection(session, "flags", flags);

  Table prototypes({"RELEASES", "PROTOTYPE"});
  for (const v1::PrototypeRun& run : kfunc.prototype_history()) {
    prototypes.AddRow({RangeLabel(run.range()), run.prototype()});
  }
  PrintSection(session, "prototypes", prototypes);

  Table statuses({"RELEASES", "STATUS"});
  for (const v1::StatusRun& run : kfunc.status_history()) {
    statuses.AddRow({RangeLabel(run.range()), StatusName(run.status())});
  }
  PrintSection(session, "status history", statuses);

  PrintSection(session, "availability", AvailabilityTable(kfunc));

  Table violations({"KIND", "RELEASE", "DETAIL"});
  for (const v1::Violation& violation : kfunc.violations()) {
    violations.AddRow({ViolationKindName(violation.kind()), violation.release().name(),
                       violation.detail()});
  }
  PrintSection(session, "violations", violations);

  Table conflicts({"KIND", "RELEASE", "DETAIL"});
  for (const v1::Conflict& conflict : kfunc.conflicts()) {
    conflicts.AddRow({ConflictKindName(conflict.kind()), conflict.release().name(),
                      conflict.detail()});
  }
  PrintSection(session, "conflicts", conflicts);
  return std::nullopt;
}

}  // namespace kfuncdb::client
