#include "server/wire_format.h"

#include <optional>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/stubs/common.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/wire_format_lite.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/slice.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace kfuncdb::server {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;

// Nesting followed when looking for the offending field; our requests nest
// two levels, and a deeper hostile request is refused anyway.
constexpr int kMaxDepth = 8;

// The path of the first string field of `type` in `wire` that is not UTF-8
// ("GetKfuncRequest.name", "CheckCompatibilityRequest.targets[1].release"),
// or nullopt when there is none or the bytes stop making sense.
std::optional<std::string> FindNonUtf8String(const Descriptor& type, const std::string& path,
                                             const std::string& wire, int depth) {
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(wire.data()),
                                               static_cast<int>(wire.size()));
  absl::flat_hash_map<int, int> occurrences;  // field number -> repeated index
  while (const uint32_t tag = input.ReadTag()) {
    const FieldDescriptor* field = type.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    if (field == nullptr ||
        WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&input, tag)) return std::nullopt;
      continue;
    }
    std::string value;
    uint32_t length = 0;
    if (!input.ReadVarint32(&length) || !input.ReadString(&value, static_cast<int>(length))) {
      return std::nullopt;
    }
    std::string where = absl::StrCat(path, ".", field->name());
    if (field->is_repeated()) absl::StrAppend(&where, "[", occurrences[field->number()]++, "]");
    if (field->type() == FieldDescriptor::TYPE_STRING &&
        !google::protobuf::internal::IsStructurallyValidUTF8(value.data(),
                                                             static_cast<int>(value.size()))) {
      return where;
    }
    if (field->type() == FieldDescriptor::TYPE_MESSAGE && depth < kMaxDepth) {
      if (auto inner = FindNonUtf8String(*field->message_type(), where, value, depth + 1)) {
        return inner;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

absl::Status ParseRequest(const grpc::ByteBuffer& bytes, google::protobuf::Message* request) {
  grpc::Slice slice;
  if (!bytes.TrySingleSlice(&slice).ok() && !bytes.DumpToSingleSlice(&slice).ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(request->GetDescriptor()->name(), ": request bytes cannot be read"));
  }
  {
    // Protobuf logs an ERROR line for each string that is not UTF-8; that
    // is the client's mistake, reported to the client below and logged only
    // with --log-requests, like every other malformed request.
    google::protobuf::LogSilencer silence_client_mistakes;
    if (request->ParseFromArray(slice.begin(), static_cast<int>(slice.size()))) {
      return absl::OkStatus();
    }
  }
  const Descriptor& type = *request->GetDescriptor();
  const std::string wire(reinterpret_cast<const char*>(slice.begin()), slice.size());
  if (std::optional<std::string> field = FindNonUtf8String(type, type.name(), wire, 0)) {
    return absl::InvalidArgumentError(absl::StrCat(*field, ": not valid UTF-8"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(type.name(), ": request is not a valid ", type.full_name(), " message"));
}

absl::Status SerializeResponse(const google::protobuf::Message& message, grpc::ByteBuffer* out) {
  bool own_buffer = false;
  grpc::Status status =
      grpc::SerializationTraits<google::protobuf::Message>::Serialize(message, out, &own_buffer);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot serialize the ", message.GetTypeName(),
                                            " answer: ", status.error_message()));
  }
  return absl::OkStatus();
}

grpc::ByteBuffer SharedByteBuffer(SerializedAnswer answer) {
  // The slice's user data is a heap copy of the shared pointer: one more
  // reference, dropped by the slice's destroy callback.
  auto* reference = new SerializedAnswer(std::move(answer));
  grpc::Slice slice(const_cast<char*>((*reference)->data()), (*reference)->size(),
                    [](void* user_data) { delete static_cast<SerializedAnswer*>(user_data); },
                    reference);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace kfuncdb::server
