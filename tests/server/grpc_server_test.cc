// The real server on a loopback port (127.0.0.1:0), called through the
// generated stubs: every RPC, every error code a bad request produces, the
// health service, reflection, and builds ingested while it runs.
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "proto/kfuncdb/v1/kfuncdb.grpc.pb.h"
#include "server/kfuncdb_server.h"
#include "tests/server/ingested_database.h"
#include "tests/server/loopback_server.h"
#include "tests/support/test_support.h"

namespace kfuncdb::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using testing::ChannelTo;

class GrpcServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = testing::StartOnLoopback(testing::ExampleDatabase());
    ASSERT_NE(server_, nullptr);
    channel_ = ChannelTo(*server_);
    stub_ = v1::KfuncDb::NewStub(channel_);
  }

  std::unique_ptr<KfuncDbServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::KfuncDb::Stub> stub_;
};

v1::ReleaseOrBuild Release(const std::string& name) {
  v1::ReleaseOrBuild target;
  target.set_release(name);
  return target;
}

TEST_F(GrpcServerTest, EveryRpcAnswersAndSaysItsLineage) {
  {
    grpc::ClientContext context;
    v1::GetKfuncRequest request;
    request.set_name("bpf_example_lookup_old");
    request.set_lineage("example");
    v1::Kfunc kfunc;
    ASSERT_TRUE(stub_->GetKfunc(&context, request, &kfunc).ok());
    EXPECT_TRUE(kfunc.lineage().example_data());
    EXPECT_EQ(kfunc.lifecycle().window_end().name(), "7.1");
  }
  {
    grpc::ClientContext context;
    v1::ListKfuncsRequest request;
    request.set_lineage("example");
    request.set_name_prefix("bpf_example_ct");
    v1::ListKfuncsResponse response;
    ASSERT_TRUE(stub_->ListKfuncs(&context, request, &response).ok());
    EXPECT_EQ(response.lineage().name(), "example");
    EXPECT_EQ(response.kfuncs_size(), 2);
  }
  {
    grpc::ClientContext context;
    v1::ListDeprecationsRequest request;
    request.set_lineage("example");
    auto reader = stub_->ListDeprecations(&context, request);
    std::vector<std::string> names;
    v1::Deprecation entry;
    while (reader->Read(&entry)) {
      EXPECT_TRUE(entry.lineage().example_data());
      names.push_back(entry.kfunc());
    }
    ASSERT_TRUE(reader->Finish().ok());
    EXPECT_THAT(names, ElementsAre("bpf_example_lookup_old", "bpf_example_rushed_removal"));
  }
  {
    grpc::ClientContext context;
    v1::ListLineagesResponse response;
    ASSERT_TRUE(stub_->ListLineages(&context, v1::ListLineagesRequest(), &response).ok());
    std::vector<std::string> names;
    for (const auto& lineage : response.lineages()) names.push_back(lineage.name());
    EXPECT_THAT(names, ElementsAre("example", "mainline"));
  }
  {
    grpc::ClientContext context;
    v1::ListReleasesRequest request;
    request.set_exclude_projected(true);
    request.set_page_size(1000);
    v1::ListReleasesResponse response;
    ASSERT_TRUE(stub_->ListReleases(&context, request, &response).ok());
    EXPECT_EQ(response.lineage().name(), "mainline");
    EXPECT_FALSE(response.lineage().example_data());
    for (const auto& release : response.releases()) EXPECT_FALSE(release.projected()) << release.name();
  }
  int64_t first_build = 0;
  {
    grpc::ClientContext context;
    v1::ListBuildsRequest request;
    request.set_release("6.12");
    v1::ListBuildsResponse response;
    ASSERT_TRUE(stub_->ListBuilds(&context, request, &response).ok());
    ASSERT_EQ(response.builds_size(), 1);
    EXPECT_EQ(response.builds(0).kernel_release(), "6.12.0-example");
    first_build = response.builds(0).id();
  }
  {
    grpc::ClientContext context;
    v1::GetBuildRequest request;
    request.set_id(first_build);
    v1::Build build;
    ASSERT_TRUE(stub_->GetBuild(&context, request, &build).ok());
    EXPECT_EQ(build.release(), "6.12");
    EXPECT_GT(build.kfunc_count(), 0u);
  }
  {
    grpc::ClientContext context;
    v1::DiffReleasesRequest request;
    request.set_lineage("example");
    *request.mutable_from() = Release("6.8");
    *request.mutable_to() = Release("6.15");
    v1::DiffReleasesResponse response;
    ASSERT_TRUE(stub_->DiffReleases(&context, request, &response).ok());
    EXPECT_THAT(response.removed(), ElementsAre("bpf_example_scratch", "bpf_example_stable_dropped"));
  }
  {
    grpc::ClientContext context;
    v1::CheckCompatibilityRequest request;
    request.set_lineage("example");
    request.add_kfuncs("bpf_example_task_acquire");
    *request.add_targets() = Release("6.8");
    v1::CheckCompatibilityResponse response;
    ASSERT_TRUE(stub_->CheckCompatibility(&context, request, &response).ok());
    EXPECT_EQ(response.overall(), v1::OVERALL_VERDICT_COMPATIBLE);
  }
  {
    grpc::ClientContext context;
    v1::ListViolationsRequest request;
    request.set_lineage("example");
    request.set_kfunc("bpf_example_rushed_removal");
    v1::ListViolationsResponse response;
    ASSERT_TRUE(stub_->ListViolations(&context, request, &response).ok());
    EXPECT_EQ(response.violations_size(), 2);
  }
}

TEST_F(GrpcServerTest, BadRequestsGetTheirCodes) {
  auto get = [&](const std::string& name, const std::string& lineage) {
    grpc::ClientContext context;
    v1::GetKfuncRequest request;
    request.set_name(name);
    request.set_lineage(lineage);
    v1::Kfunc kfunc;
    return stub_->GetKfunc(&context, request, &kfunc);
  };
  grpc::Status status = get("bpf_example_nope", "example");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  status = get("0bad", "example");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("GetKfuncRequest.name"));
  status = get("bpf_example_cast", "gentoo-9.9");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("GetKfuncRequest.lineage"));
  // The client serializes the bytes as they are; the server's own parsing
  // names the field instead of gRPC's bare refusal.
  status = get("bpf_\xff_cast", "example");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "GetKfuncRequest.name: not valid UTF-8");

  auto list = [&](const v1::ListKfuncsRequest& request) {
    grpc::ClientContext context;
    v1::ListKfuncsResponse response;
    return stub_->ListKfuncs(&context, request, &response);
  };
  v1::ListKfuncsRequest request;
  request.set_lineage("example");
  request.set_page_size(5000);
  status = list(request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("ListKfuncsRequest.page_size"));
  request.set_page_size(0);
  request.set_at_release("6.1-rc1!");
  status = list(request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("ListKfuncsRequest.at_release"));
  request.clear_at_release();
  request.set_page_token("a2ZkYjF8MDAwMDAwMDAwMDAwMDAwMHxicGY=");  // well-formed, never issued
  status = list(request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("ListKfuncsRequest.page_token"));

  grpc::ClientContext expired;
  expired.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  v1::Kfunc kfunc;
  v1::GetKfuncRequest get_request;
  get_request.set_name("bpf_example_cast");
  get_request.set_lineage("example");
  EXPECT_EQ(stub_->GetKfunc(&expired, get_request, &kfunc).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);

  grpc::ClientContext stream_context;
  v1::ListDeprecationsRequest deprecations;
  deprecations.set_lineage("example");
  deprecations.set_release("not-a-release");
  auto reader = stub_->ListDeprecations(&stream_context, deprecations);
  v1::Deprecation entry;
  EXPECT_FALSE(reader->Read(&entry));
  status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("ListDeprecationsRequest.release"));
}

TEST_F(GrpcServerTest, OversizedRequestsAreRefused) {
  grpc::ClientContext context;
  v1::CheckCompatibilityRequest request;
  request.add_kfuncs(std::string(5 << 20, 'a'));  // past the 4 MiB limit
  *request.add_targets() = Release("6.8");
  v1::CheckCompatibilityResponse response;
  EXPECT_EQ(stub_->CheckCompatibility(&context, request, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(GrpcServerTest, HealthReportsServing) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  for (const std::string service : {"", "kfuncdb.v1.KfuncDb"}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(health->Check(&context, request, &response).ok()) << service;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

// Lists services through grpc.reflection.v1alpha.ServerReflection, as
// grpcurl does. Debian ships the reflection library but not its generated
// headers, so messages are built from the descriptors the library
// registered, and sent through the generic stub.
std::vector<std::string> ReflectedServices(const std::shared_ptr<grpc::Channel>& channel) {
  namespace pb = google::protobuf;
  const pb::DescriptorPool* pool = pb::DescriptorPool::generated_pool();
  const pb::Descriptor* request_type =
      pool->FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionRequest");
  const pb::Descriptor* response_type =
      pool->FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionResponse");
  if (request_type == nullptr || response_type == nullptr) {
    ADD_FAILURE() << "reflection descriptors not registered";
    return {};
  }
  pb::DynamicMessageFactory factory;
  std::unique_ptr<pb::Message> request(factory.GetPrototype(request_type)->New());
  request->GetReflection()->SetString(request.get(), request_type->FindFieldByName("list_services"), "*");

  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  grpc::CompletionQueue queue;
  auto await = [&queue](intptr_t tag) {
    void* got = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&got, &ok));
    EXPECT_EQ(reinterpret_cast<intptr_t>(got), tag);
    return ok;
  };
  auto call = stub.PrepareCall(&context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  call->StartCall(reinterpret_cast<void*>(1));
  EXPECT_TRUE(await(1));
  grpc::Slice slice(request->SerializeAsString());
  grpc::ByteBuffer outgoing(&slice, 1);
  call->WriteLast(outgoing, grpc::WriteOptions(), reinterpret_cast<void*>(2));
  EXPECT_TRUE(await(2));
  grpc::ByteBuffer incoming;
  call->Read(&incoming, reinterpret_cast<void*>(3));
  EXPECT_TRUE(await(3));
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(4));
  EXPECT_TRUE(await(4));
  EXPECT_TRUE(status.ok()) << status.error_message();

  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(incoming.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& part : slices) bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
  std::unique_ptr<pb::Message> response(factory.GetPrototype(response_type)->New());
  EXPECT_TRUE(response->ParseFromString(bytes));
  const pb::Message& list = response->GetReflection()->GetMessage(
      *response, response_type->FindFieldByName("list_services_response"));
  const pb::FieldDescriptor* service_field = list.GetDescriptor()->FindFieldByName("service");
  std::vector<std::string> names;
  for (int i = 0; i < list.GetReflection()->FieldSize(list, service_field); ++i) {
    const pb::Message& service = list.GetReflection()->GetRepeatedMessage(list, service_field, i);
    names.push_back(service.GetReflection()->GetString(service, service.GetDescriptor()->FindFieldByName("name")));
  }
  return names;
}

TEST_F(GrpcServerTest, ReflectionListsTheService) {
  std::vector<std::string> services = ReflectedServices(channel_);
  EXPECT_THAT(services, ::testing::IsSupersetOf({"kfuncdb.v1.KfuncDb", "grpc.health.v1.Health"}));
}

// Calls `method` with `request` bytes as they are, through a generic stub.
grpc::Status CallWithBytes(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                           const std::string& request, std::string* response) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  grpc::Slice slice(request);
  grpc::ByteBuffer outgoing(&slice, 1);
  grpc::ByteBuffer incoming;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &outgoing, &incoming,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  std::vector<grpc::Slice> slices;
  if (status.ok() && incoming.Dump(&slices).ok()) {
    response->clear();
    for (const grpc::Slice& part : slices) response->append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  return status;
}

// Repeated questions are answered from the cache, first by their bytes as
// received (before parsing); a request encoded another way (fields out of
// order, an unknown field) must get the very same answer, and an invalid
// one its error, never a cached answer.
TEST_F(GrpcServerTest, AnswersDoNotDependOnHowARequestIsEncoded) {
  v1::GetKfuncRequest request;
  request.set_lineage("example");
  request.set_name("bpf_example_lookup_old");
  const std::string canonical = request.SerializeAsString();
  v1::GetKfuncRequest name_only;
  name_only.set_name("bpf_example_lookup_old");
  v1::GetKfuncRequest lineage_only;
  lineage_only.set_lineage("example");
  // Field 2 (lineage) before field 1 (name): the same message.
  const std::string reordered = lineage_only.SerializeAsString() + name_only.SerializeAsString();
  // Field 99, varint 7: unknown to the server, skipped by parsing.
  const std::string with_unknown_field = canonical + std::string("\x98\x06\x07", 3);

  const std::string method = "/kfuncdb.v1.KfuncDb/GetKfunc";
  std::string first, again, from_reordered, from_unknown;
  ASSERT_TRUE(CallWithBytes(channel_, method, canonical, &first).ok());
  ASSERT_TRUE(CallWithBytes(channel_, method, canonical, &again).ok());
  ASSERT_TRUE(CallWithBytes(channel_, method, reordered, &from_reordered).ok());
  ASSERT_TRUE(CallWithBytes(channel_, method, with_unknown_field, &from_unknown).ok());
  v1::Kfunc kfunc;
  ASSERT_TRUE(kfunc.ParseFromString(first));
  EXPECT_EQ(kfunc.name(), "bpf_example_lookup_old");
  EXPECT_EQ(again, first);
  EXPECT_EQ(from_reordered, first);
  EXPECT_EQ(from_unknown, first);

  // The cached name with one byte changed is another (invalid) question.
  std::string bad = canonical;
  bad[bad.size() - 1] = '-';
  std::string unused;
  EXPECT_EQ(CallWithBytes(channel_, method, bad, &unused).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(GrpcServerTest, ShutdownStopsServingAndIsIdempotent) {
  server_->Shutdown(absl::Seconds(1));
  server_->Shutdown(absl::Seconds(1));
  server_->Wait();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  v1::ListLineagesResponse response;
  EXPECT_EQ(stub_->ListLineages(&context, v1::ListLineagesRequest(), &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// Builds a worker ingests while the server runs are served on the next
// call, without a restart (WAL readers see each new commit).
TEST(GrpcServerLiveIngestTest, ServesBuildsIngestedWhileRunning) {
  testing::ScratchDir dir;
  auto releases = testing::WriteExampleReleases(dir / "fixtures");
  ASSERT_TRUE(releases.ok()) << releases.status();
  const std::filesystem::path database = dir / "live.db";
  for (size_t i = 0; i + 1 < releases->size(); ++i) {
    ASSERT_TRUE(testing::IngestInputs(database, {(*releases)[i]}, "example").ok());
  }
  std::unique_ptr<KfuncDbServer> server = testing::StartOnLoopback(database);
  ASSERT_NE(server, nullptr);
  auto stub = v1::KfuncDb::NewStub(ChannelTo(*server));
  auto rushed_removal = [&]() {
    grpc::ClientContext context;
    v1::GetKfuncRequest request;
    request.set_name("bpf_example_rushed_removal");
    request.set_lineage("example");
    v1::Kfunc kfunc;
    EXPECT_TRUE(stub->GetKfunc(&context, request, &kfunc).ok());
    return kfunc;
  };
  // Asked on every reader connection, so each has the answer cached and
  // would serve it without SQLite if it missed the new commit.
  constexpr int kAsks = 6;
  v1::Kfunc before;
  for (int i = 0; i < kAsks; ++i) {
    before = rushed_removal();
    EXPECT_EQ(before.status(), v1::KFUNC_STATUS_REMOVED);
    EXPECT_EQ(before.status_at().name(), "6.14");
  }

  ASSERT_TRUE(testing::IngestInputs(database, {releases->back()}, "example").ok());  // 6.15

  for (int i = 0; i < kAsks; ++i) {
    v1::Kfunc after = rushed_removal();
    EXPECT_EQ(after.status(), v1::KFUNC_STATUS_DEPRECATED) << "ask " << i;
    EXPECT_EQ(after.status_at().name(), "6.15") << "ask " << i;
    EXPECT_EQ(after.violations_size(), before.violations_size() + 1) << "the name came back";
  }
  grpc::ClientContext context;
  v1::ListBuildsRequest request;
  request.set_lineage("example");
  v1::ListBuildsResponse builds;
  ASSERT_TRUE(stub->ListBuilds(&context, request, &builds).ok());
  EXPECT_EQ(builds.builds_size(), 8);
}

}  // namespace
}  // namespace kfuncdb::server
