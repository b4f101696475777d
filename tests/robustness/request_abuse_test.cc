// Request abuse against the live kfuncdb-server (real binary, loopback,
// example data): oversized messages, page sizes out of range, very long and
// non-UTF-8 names, thousands of names in one CheckCompatibility, more
// concurrent streams than the per-connection limit, expired deadlines and a
// client that goes away mid-stream. Each case expects one status code, and
// after each the server must still answer a normal call on a fresh channel.
// Each case prints "abuse: <case>: <code>" for the report script.
#include <chrono>
#include <cstdio>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "kfuncdb/v1/kfuncdb.grpc.pb.h"
#include "tests/robustness/robustness_support.h"
#include "tests/support/test_support.h"

namespace kfuncdb::robustness {
namespace {

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK: return "OK";
    case grpc::CANCELLED: return "CANCELLED";
    case grpc::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND: return "NOT_FOUND";
    case grpc::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::INTERNAL: return "INTERNAL";
    case grpc::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::UNIMPLEMENTED: return "UNIMPLEMENTED";
    default: return "OTHER";  // named by number in the test's output
  }
}

class RequestAbuseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::ScratchDir();
    const std::vector<std::filesystem::path> builds = WriteExampleBuilds(dir_->path());
    std::vector<std::string> argv = {kIngestBinary, "--db", (dir_->path() / "abuse.db").string()};
    for (const auto& build : builds) argv.push_back(build.string());
    testing::ProcessOutput run = testing::RunProcess(argv, dir_->path());
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    server_ = new ServerUnderTest(dir_->path() / "abuse.db", dir_->path());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  void SetUp() override { ASSERT_GT(server_->port(), 0) << server_->log(); }

  // After each case: the server still serves a normal call on a new channel.
  void TearDown() override {
    auto stub = NewStub();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::ListBuildsResponse response;
    grpc::Status status = stub->ListBuilds(&context, v1::ListBuildsRequest(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message() << "\n" << server_->log();
    EXPECT_GT(response.builds_size(), 0);
  }

  static std::unique_ptr<v1::KfuncDb::Stub> NewStub() {
    grpc::ChannelArguments arguments;
    arguments.SetMaxSendMessageSize(64 << 20);  // let the client send what the server must refuse
    arguments.SetInt("grpc.use_local_subchannel_pool", 1);  // a connection of its own
    return v1::KfuncDb::NewStub(grpc::CreateCustomChannel(
        server_->address(), grpc::InsecureChannelCredentials(), arguments));
  }

  static void Expect(const std::string& name, const grpc::Status& status, grpc::StatusCode want) {
    std::printf("abuse: %s: %s\n", name.c_str(), CodeName(status.error_code()));
    EXPECT_EQ(status.error_code(), want) << name << ": " << status.error_message();
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return context;
  }

  static testing::ScratchDir* dir_;
  static ServerUnderTest* server_;
};
testing::ScratchDir* RequestAbuseTest::dir_ = nullptr;
ServerUnderTest* RequestAbuseTest::server_ = nullptr;

TEST_F(RequestAbuseTest, OversizedMessageIsRefused) {
  v1::CheckCompatibilityRequest request;
  request.add_kfuncs(std::string(5 << 20, 'a'));  // past the 4 MiB receive limit
  request.add_targets()->set_release("6.12");
  v1::CheckCompatibilityResponse response;
  Expect("5 MiB request", NewStub()->CheckCompatibility(Context().get(), request, &response),
         grpc::RESOURCE_EXHAUSTED);
}

TEST_F(RequestAbuseTest, PageSizesOutOfRangeAreInvalid) {
  auto stub = NewStub();
  for (int32_t page_size : {1001, INT32_MAX, -1, INT32_MIN}) {
    v1::ListKfuncsRequest request;
    request.set_page_size(page_size);
    v1::ListKfuncsResponse response;
    Expect("ListKfuncs page_size " + std::to_string(page_size),
           stub->ListKfuncs(Context().get(), request, &response), grpc::INVALID_ARGUMENT);
  }
  v1::ListBuildsRequest request;
  request.set_page_size(INT32_MAX);
  v1::ListBuildsResponse response;
  Expect("ListBuilds page_size 2147483647", stub->ListBuilds(Context().get(), request, &response),
         grpc::INVALID_ARGUMENT);
}

TEST_F(RequestAbuseTest, VeryLongNamesAreInvalid) {
  auto stub = NewStub();
  v1::GetKfuncRequest request;
  request.set_name(std::string(1 << 20, 'k'));
  v1::Kfunc kfunc;
  Expect("GetKfunc 1 MiB name", stub->GetKfunc(Context().get(), request, &kfunc),
         grpc::INVALID_ARGUMENT);
  // Rejected by a check that quotes the value: the message must stay small
  // (it travels as metadata; a 100 KB value echoed in full came back as
  // RESOURCE_EXHAUSTED from the client's metadata limit).
  request.set_name("1" + std::string(100000, 'k'));
  Expect("GetKfunc 100 KB name starting with a digit",
         stub->GetKfunc(Context().get(), request, &kfunc), grpc::INVALID_ARGUMENT);
  v1::ListBuildsRequest builds;
  builds.set_lineage(std::string(100000, 'l'));
  v1::ListBuildsResponse response;
  Expect("ListBuilds 100 KB lineage", stub->ListBuilds(Context().get(), builds, &response),
         grpc::INVALID_ARGUMENT);
}

TEST_F(RequestAbuseTest, NonUtf8NamesAreRefused) {
  // The client library serializes the bytes as they are (and logs that they
  // are not UTF-8); the server parses requests itself and names the field.
  auto stub = NewStub();
  v1::GetKfuncRequest request;
  request.set_name("bpf_\xff\xfe_task");
  v1::Kfunc kfunc;
  grpc::Status status = stub->GetKfunc(Context().get(), request, &kfunc);
  Expect("GetKfunc non-UTF-8 name", status, grpc::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "GetKfuncRequest.name: not valid UTF-8");

  v1::CheckCompatibilityRequest check;
  check.add_kfuncs("bpf_task_acquire");
  check.add_targets()->set_release("6.\x80");
  v1::CheckCompatibilityResponse response;
  status = stub->CheckCompatibility(Context().get(), check, &response);
  Expect("CheckCompatibility non-UTF-8 target", status, grpc::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "CheckCompatibilityRequest.targets[0].release: not valid UTF-8");
}

TEST_F(RequestAbuseTest, ThousandsOfNamesInOneCheck) {
  auto stub = NewStub();
  v1::CheckCompatibilityRequest request;
  request.add_targets()->set_release("6.12");
  for (int i = 0; i < 1000; ++i) request.add_kfuncs("bpf_example_" + std::to_string(i));
  v1::CheckCompatibilityResponse response;
  Expect("CheckCompatibility 1000 names", stub->CheckCompatibility(Context().get(), request, &response),
         grpc::OK);
  EXPECT_EQ(response.results_size(), 1000);
  for (int i = 1000; i < 5000; ++i) request.add_kfuncs("bpf_example_" + std::to_string(i));
  Expect("CheckCompatibility 5000 names", stub->CheckCompatibility(Context().get(), request, &response),
         grpc::INVALID_ARGUMENT);
}

// More streams at once than the server allows per connection (256): HTTP/2
// makes the client queue the rest, so every call still completes.
TEST_F(RequestAbuseTest, MoreConcurrentStreamsThanAllowedAllComplete) {
  constexpr int kStreams = 320;
  auto stub = NewStub();
  struct Call {
    grpc::ClientContext context;
    v1::ListBuildsRequest request;  // must outlive the call
    v1::ListBuildsResponse response;
    grpc::Status status;
    bool done = false;
  };
  std::vector<std::unique_ptr<Call>> calls;
  std::mutex mutex;
  std::condition_variable all_done;
  int remaining = kStreams;
  for (int i = 0; i < kStreams; ++i) {
    calls.push_back(std::make_unique<Call>());
    Call* call = calls.back().get();
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    stub->async()->ListBuilds(&call->context, &call->request, &call->response,
                              [&, call](grpc::Status status) {
                                std::lock_guard<std::mutex> lock(mutex);
                                call->status = std::move(status);
                                call->done = true;
                                if (--remaining == 0) all_done.notify_all();
                              });
  }
  std::unique_lock<std::mutex> lock(mutex);
  all_done.wait(lock, [&] { return remaining == 0; });
  int ok = 0;
  for (const auto& call : calls) ok += call->status.ok();
  std::printf("abuse: %d concurrent ListBuilds on one connection: %d OK\n", kStreams, ok);
  EXPECT_EQ(ok, kStreams);
}

TEST_F(RequestAbuseTest, ExpiredDeadlineIsDeadlineExceeded) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  v1::ListBuildsResponse response;
  Expect("expired deadline", NewStub()->ListBuilds(&context, v1::ListBuildsRequest(), &response),
         grpc::DEADLINE_EXCEEDED);
}

// A client that reads one message of a stream and goes away.
TEST_F(RequestAbuseTest, ClientDisconnectingMidStream) {
  for (int round = 0; round < 20; ++round) {
    auto stub = NewStub();
    grpc::ClientContext context;
    v1::ListDeprecationsRequest request;
    request.set_include_removed(true);
    auto reader = stub->ListDeprecations(&context, request);
    v1::Deprecation first;
    ASSERT_TRUE(reader->Read(&first)) << "the example lineage has deprecations";
    context.TryCancel();
    v1::Deprecation rest;
    while (reader->Read(&rest)) {
    }
    grpc::Status status = reader->Finish();
    if (round == 0) std::printf("abuse: client cancels mid-stream: %s\n", CodeName(status.error_code()));
    EXPECT_EQ(status.error_code(), grpc::CANCELLED);
  }
}

}  // namespace
}  // namespace kfuncdb::robustness
