#include "client/session.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"

namespace kfuncdb::client {

namespace {

// proto3 JSON of `message` without a trailing newline. Serializing a
// message we just received cannot fail short of a bug, which is then shown
// in place of the message rather than hidden.
std::string JsonText(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions json;
  json.preserve_proto_field_names = true;
  json.add_whitespace = true;
  std::string text;
  if (auto status = google::protobuf::util::MessageToJsonString(message, &text, json);
      !status.ok()) {
    return absl::StrCat("\"cannot print JSON: ", status.ToString(), "\"");
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

void Session::PrintJson(const google::protobuf::Message& message) {
  out_ << JsonText(message) << '\n';
}

void Session::PrintJsonElements(const std::vector<const google::protobuf::Message*>& elements) {
  out_ << '[';
  for (size_t i = 0; i < elements.size(); ++i) {
    out_ << (i == 0 ? "\n" : ",\n") << JsonText(*elements[i]);
  }
  out_ << (elements.empty() ? "]\n" : "\n]\n");
}

void Session::PrintTable(const Table& table) {
  if (options_.format == OutputFormat::kCsv) {
    table.WriteCsv(out_);
  } else {
    table.WriteAligned(out_);
  }
}

void Session::LabelLineage(const v1::Lineage& lineage) {
  if (!lineage.example_data()) return;
  std::ostream& stream = options_.format == OutputFormat::kCsv ? err_ : out_;
  stream << "EXAMPLE DATA (lineage \"" << lineage.name()
         << "\"): generated fixtures, not real kernels\n";
}

CommandResult Session::RejectCsv(absl::string_view command) const {
  return UsageError(absl::StrCat("--csv does not apply to `", command,
                                 "` (its answer is not a list); use --json"));
}

}  // namespace kfuncdb::client
