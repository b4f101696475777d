// `kfuncdb deprecations [--before RELEASE|DATE]`: the deprecation calendar,
// read from the server's stream as it arrives. Under --json the entries
// are printed as one JSON array, each element a Deprecation message.
#include "absl/strings/str_cat.h"
#include "client/arguments.h"
#include "client/commands.h"
#include "client/display_names.h"

namespace kfuncdb::client {

CommandResult RunDeprecations(Session& session, const DeprecationsOptions& options) {
  v1::ListDeprecationsRequest request;
  request.set_lineage(session.options().lineage);
  request.set_include_removed(options.include_removed);
  if (!options.before.empty()) {
    if (LooksLikeDate(options.before)) {
      request.set_date(options.before);
    } else if (ValidateReleaseName("--before", options.before).ok()) {
      request.set_release(options.before);
    } else {
      return UsageError(absl::StrCat("--before: \"", options.before,
                                     "\" is neither a release (\"6.18\") nor a date "
                                     "(\"2026-01-31\")"));
    }
  }

  std::unique_ptr<grpc::ClientContext> context = session.NewCall();
  std::unique_ptr<grpc::ClientReader<v1::Deprecation>> stream =
      session.stub().ListDeprecations(context.get(), request);
  std::vector<v1::Deprecation> entries;
  for (v1::Deprecation entry; stream->Read(&entry);) entries.push_back(entry);
  if (grpc::Status status = stream->Finish(); !status.ok()) return session.Failed(status);

  if (session.options().format == OutputFormat::kJson) {
    session.PrintJsonArray(entries);
    return std::nullopt;
  }
  // Every entry carries the lineage; an empty calendar has none to label.
  if (!entries.empty()) session.LabelLineage(entries.front().lineage());
  Table table({"KFUNC", "STATUS", "DEPRECATED_SINCE", "WINDOW_END", "WINDOW_END_DATE",
               "EARLIEST_REMOVAL", "REMOVED_IN"});
  for (const v1::Deprecation& entry : entries) {
    std::string date = entry.window_end().date();
    if (!date.empty() && (entry.window_end().projected() || entry.window_end().date_approximate())) {
      date = "~" + date;
    }
    table.AddRow({entry.kfunc(), StatusName(entry.status()), entry.deprecated_since().name(),
                  ReleaseLabel(entry.window_end()), date, ReleaseLabel(entry.earliest_removal()),
                  entry.removed_in().name()});
  }
  session.PrintTable(table);
  return std::nullopt;
}

}  // namespace kfuncdb::client
