// `kfuncdb diff A B`: what changed between two releases or builds. One row
// per change (added, removed, flags, prototype, status), so the table and
// the CSV list the same facts.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/arguments.h"
#include "client/commands.h"
#include "client/display_names.h"

namespace kfuncdb::client {
namespace {

std::string FlagsWithNames(bool known, uint32_t flags,
                           const google::protobuf::RepeatedPtrField<std::string>& names) {
  if (!known) return "unknown";
  if (names.empty()) return FlagsHex(true, flags);
  return absl::StrCat(FlagsHex(true, flags), " ", absl::StrJoin(names, "|"));
}

}  // namespace

CommandResult RunDiff(Session& session, const DiffOptions& options) {
  v1::DiffReleasesRequest request;
  request.set_lineage(session.options().lineage);
  auto from = ParseReleaseOrBuild("A", options.from);
  if (!from.ok()) return LocalError(from.status());
  auto to = ParseReleaseOrBuild("B", options.to);
  if (!to.ok()) return LocalError(to.status());
  *request.mutable_from() = *from;
  *request.mutable_to() = *to;

  v1::DiffReleasesResponse diff;
  grpc::Status status = session.stub().DiffReleases(session.NewCall().get(), request, &diff);
  if (!status.ok()) return session.Failed(status);
  if (session.options().format == OutputFormat::kJson) {
    session.PrintJson(diff);
    return std::nullopt;
  }

  session.LabelLineage(diff.lineage());
  if (session.options().format == OutputFormat::kTable) {
    session.out() << "from " << ReleaseLabel(diff.from_release()) << " to "
                  << ReleaseLabel(diff.to_release()) << " (lineage " << diff.lineage().name()
                  << ")\n";
  }
  Table table({"CHANGE", "KFUNC", "FROM", "TO"});
  for (const std::string& name : diff.added()) table.AddRow({"added", name, "", ""});
  for (const std::string& name : diff.removed()) table.AddRow({"removed", name, "", ""});
  for (const v1::KfuncFlagsChange& change : diff.flags_changed()) {
    table.AddRow({"flags", change.kfunc(),
                  FlagsWithNames(change.has_from_flags(), change.from_flags(),
                                 change.from_flag_names()),
                  FlagsWithNames(change.has_to_flags(), change.to_flags(),
                                 change.to_flag_names())});
  }
  for (const v1::KfuncPrototypeChange& change : diff.prototype_changed()) {
    table.AddRow({change.signature_changed() ? "signature" : "parameter-names", change.kfunc(),
                  change.from_prototype(), change.to_prototype()});
  }
  for (const v1::KfuncStatusChange& change : diff.status_changed()) {
    table.AddRow({"status", change.kfunc(), StatusName(change.from_status()),
                  StatusName(change.to_status())});
  }
  session.PrintTable(table);
  return std::nullopt;
}

}  // namespace kfuncdb::client
