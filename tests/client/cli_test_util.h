// Shared by the end-to-end tests of the kfuncdb binary: a fixture holding
// the live server, running the binary, and comparing its --json output
// with the API's own answer.
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "tests/client/csv_reader.h"
#include "tests/client/live_server.h"
#include "tests/client/subprocess.h"

// In a CliTest: skips a test about real kernels when the corpus is absent.
#define KFUNCDB_SKIP_WITHOUT_CORPUS()                                              \
  if (!server_->has_corpus())                                                      \
  GTEST_SKIP() << "corpus packages missing (see tests/client/live_server.cc); the " \
                  "database holds example data only"

namespace kfuncdb::client::testing {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    server_ = LiveServer::Get(&why);
    ASSERT_NE(server_, nullptr) << why;
  }

  // `kfuncdb --server <live> args...`.
  ProcessResult Kfuncdb(const std::vector<std::string>& args) {
    return RunProcess(server_->KfuncdbArgv(args));
  }

  // A fresh context with a generous deadline for direct stub calls.
  static std::unique_ptr<grpc::ClientContext> Call() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return context;
  }

  v1::KfuncDb::Stub& stub() { return server_->stub(); }

  LiveServer* server_ = nullptr;
};

// Parses `json` as a Message (proto field names) and expects it to equal
// `expected` field by field.
template <typename Message>
void ExpectJsonEquals(const std::string& json, const Message& expected) {
  Message parsed;
  auto status = google::protobuf::util::JsonStringToMessage(json, &parsed);
  ASSERT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  google::protobuf::util::MessageDifferencer differencer;
  std::string report;
  differencer.ReportDifferencesToString(&report);
  EXPECT_TRUE(differencer.Compare(expected, parsed)) << report;
}

// CSV output parsed into records; fails the test when it does not parse.
inline CsvRecords CsvOrFail(const std::string& text) {
  std::optional<CsvRecords> records = ParseCsv(text);
  EXPECT_TRUE(records.has_value()) << text;
  return records.value_or(CsvRecords());
}

}  // namespace kfuncdb::client::testing
