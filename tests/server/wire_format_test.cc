// The gRPC edge's byte handling without a server: request parsing with
// errors that name the field, and answers handed to gRPC without a copy.
#include "server/wire_format.h"

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/support/slice.h>
#include <gtest/gtest.h>

#include "proto/kfuncdb/v1/kfuncdb.pb.h"

namespace kfuncdb::server {
namespace {

grpc::ByteBuffer BufferOf(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

TEST(WireFormatTest, ParsesAWellFormedRequest) {
  v1::CheckCompatibilityRequest sent;
  sent.set_lineage("example");
  sent.add_kfuncs("bpf_example_cast");
  sent.add_targets()->set_release("6.12");
  v1::CheckCompatibilityRequest parsed;
  ASSERT_TRUE(ParseRequest(BufferOf(sent.SerializeAsString()), &parsed).ok());
  EXPECT_EQ(parsed.SerializeAsString(), sent.SerializeAsString());
}

TEST(WireFormatTest, NamesTheTopLevelFieldThatIsNotUtf8) {
  // Protobuf's C++ serializer writes invalid UTF-8 as it is (it only logs),
  // which is what a hostile or buggy client sends.
  v1::GetKfuncRequest sent;
  sent.set_name("bpf_\xff\xfe_task");
  v1::GetKfuncRequest parsed;
  absl::Status status = ParseRequest(BufferOf(sent.SerializeAsString()), &parsed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "GetKfuncRequest.name: not valid UTF-8");
}

TEST(WireFormatTest, NamesRepeatedAndNestedFieldsWithTheirIndex) {
  v1::CheckCompatibilityRequest sent;
  sent.add_kfuncs("bpf_a");
  sent.add_kfuncs("bpf_b");
  sent.add_kfuncs("bpf_\xc3");  // a truncated two-byte sequence
  sent.add_targets()->set_release("6.1");
  v1::CheckCompatibilityRequest parsed;
  EXPECT_EQ(ParseRequest(BufferOf(sent.SerializeAsString()), &parsed).message(),
            "CheckCompatibilityRequest.kfuncs[2]: not valid UTF-8");

  sent.set_kfuncs(2, "bpf_c");
  sent.add_targets()->set_build_id(7);
  sent.add_targets()->set_release("6.\x80");
  EXPECT_EQ(ParseRequest(BufferOf(sent.SerializeAsString()), &parsed).message(),
            "CheckCompatibilityRequest.targets[2].release: not valid UTF-8");
}

TEST(WireFormatTest, RefusesBytesThatAreNotTheMessage) {
  v1::GetKfuncRequest parsed;
  // Field 1, length-delimited, claiming 100 bytes of which 3 follow.
  absl::Status status = ParseRequest(BufferOf(std::string("\x0a\x64" "abc", 5)), &parsed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "GetKfuncRequest: request is not a valid kfuncdb.v1.GetKfuncRequest message");
}

TEST(WireFormatTest, SerializesAResponse) {
  v1::Kfunc kfunc;
  kfunc.set_name("bpf_example_cast");
  grpc::ByteBuffer buffer;
  ASSERT_TRUE(SerializeResponse(kfunc, &buffer).ok());
  EXPECT_EQ(Flatten(buffer), kfunc.SerializeAsString());
}

TEST(WireFormatTest, SharedBufferHoldsTheAnswerUntilItIsGone) {
  auto answer = std::make_shared<const std::string>("\x0a\x03" "abc");
  {
    grpc::ByteBuffer buffer = SharedByteBuffer(answer);
    EXPECT_EQ(answer.use_count(), 2);
    EXPECT_EQ(Flatten(buffer), *answer);
    grpc::Slice slice;
    ASSERT_TRUE(buffer.TrySingleSlice(&slice).ok());
    EXPECT_EQ(reinterpret_cast<const char*>(slice.begin()), answer->data()) << "copied";
  }
  EXPECT_EQ(answer.use_count(), 1);
}

}  // namespace
}  // namespace kfuncdb::server
