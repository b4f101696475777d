// Session: what every command needs, the stub, the global options (server,
// lineage, output format) and the streams it prints to, plus the output
// helpers all commands share so `--json`, `--csv` and the example-data label
// behave the same everywhere.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "client/command_error.h"
#include "client/connection.h"
#include "client/table.h"
#include "kfuncdb/v1/kfuncdb.grpc.pb.h"

namespace kfuncdb::client {

enum class OutputFormat {
  kTable,  // aligned columns, for people
  kJson,   // the API's answer in proto3 JSON, proto field names kept
  kCsv,    // the table's rows as CSV (list-like commands only)
};

struct GlobalOptions {
  ConnectionOptions connection;
  // Empty: the server's default ("mainline").
  std::string lineage;
  OutputFormat format = OutputFormat::kTable;
};

// nullopt: the command succeeded (exit 0).
using CommandResult = std::optional<CommandError>;

// Not thread-safe; one per command run. The stub and streams must outlive it.
class Session {
 public:
  Session(v1::KfuncDb::Stub& stub, GlobalOptions options, std::ostream& out, std::ostream& err)
      : stub_(stub), options_(std::move(options)), out_(out), err_(err) {}

  v1::KfuncDb::Stub& stub() { return stub_; }
  const GlobalOptions& options() const { return options_; }
  std::ostream& out() { return out_; }

  // A context for one call (deadline from --timeout).
  std::unique_ptr<grpc::ClientContext> NewCall() const {
    return MakeCallContext(options_.connection);
  }
  // The error for a failed call, naming the server address.
  CommandError Failed(const grpc::Status& status) const {
    return RpcError(status, options_.connection.address);
  }

  // Prints `message` as proto3 JSON (proto field names, indented).
  void PrintJson(const google::protobuf::Message& message);
  // Prints a streamed answer as one JSON array of its messages.
  template <typename Message>
  void PrintJsonArray(const std::vector<Message>& messages) {
    std::vector<const google::protobuf::Message*> elements;
    for (const Message& message : messages) elements.push_back(&message);
    PrintJsonElements(elements);
  }

  // Prints `table` aligned, or as CSV under --csv.
  void PrintTable(const Table& table);

  // Says the answer is about example data when it is: a line on stdout
  // before a table, or on stderr under --csv (so the CSV stays parseable).
  // The JSON carries lineage.example_data itself.
  void LabelLineage(const v1::Lineage& lineage);

  // A remark for the user on stderr ("x.bpf.o: imports no kfuncs"),
  // prefixed "kfuncdb: ", kept out of stdout so --json/--csv stay clean.
  void Note(std::string_view message) { err_ << "kfuncdb: " << message << '\n'; }

  // Usage error for --csv on a command whose answer is not a list.
  CommandResult RejectCsv(absl::string_view command) const;

  // Follows page tokens until the last page and merges every page into
  // `*all` (repeated fields appended, next_page_token left empty).
  // `call(context, request, &page)` performs one RPC.
  template <typename Request, typename Response, typename Call>
  CommandResult FetchAllPages(Request request, Call call, Response* all) {
    request.set_page_size(kPageSize);
    for (;;) {
      Response page;
      grpc::Status status = call(NewCall().get(), request, &page);
      if (!status.ok()) return Failed(status);
      std::string next = page.next_page_token();
      page.clear_next_page_token();
      all->MergeFrom(page);
      if (next.empty()) return std::nullopt;
      request.set_page_token(std::move(next));
    }
  }

 private:
  void PrintJsonElements(const std::vector<const google::protobuf::Message*>& elements);

  // The API's maximum: fewest round trips.
  static constexpr int kPageSize = 1000;

  v1::KfuncDb::Stub& stub_;
  GlobalOptions options_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace kfuncdb::client
