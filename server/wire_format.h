// The gRPC edge in bytes. KfuncDbService registers every method raw: it
// takes each request as the bytes gRPC received and hands back bytes. Two
// reasons:
//  - a request that proto3 parsing refuses (a string field that is not
//    UTF-8) would otherwise be refused by gRPC itself with an empty
//    message; here it becomes InvalidArgument naming the field, as every
//    other malformed request does;
//  - a cached answer (answer_cache.h) is sent as the very bytes the cache
//    holds: no copy of the message, no serialization per call.
//
// Thread safety: free functions without shared state.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"
#include "server/answer_cache.h"

namespace kfuncdb::server {

// Parses the request bytes into *request. InvalidArgument naming the field
// ("CheckCompatibilityRequest.targets[1].release: not valid UTF-8") when a
// string field is not UTF-8, or naming the message when the bytes are not
// its wire format at all.
absl::Status ParseRequest(const grpc::ByteBuffer& bytes, google::protobuf::Message* request);

// The wire form of `message` in *out. Internal if it cannot be serialized.
absl::Status SerializeResponse(const google::protobuf::Message& message, grpc::ByteBuffer* out);

// A ByteBuffer over the answer's bytes that holds a reference to them
// instead of copying them; gRPC drops the reference once they are sent.
grpc::ByteBuffer SharedByteBuffer(SerializedAnswer answer);

}  // namespace kfuncdb::server
