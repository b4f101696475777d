#include "server/answer_cache.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/str_cat.h"
#include "common/absl_string_view.h"

namespace kfuncdb::server {

SerializedAnswer AnswerCache::Find(const WalIndexState& state, std::string_view key) const {
  absl::ReaderMutexLock lock(&mu_);
  if (state != state_) return nullptr;
  auto it = answers_.find(ToAbsl(key));
  return it == answers_.end() ? nullptr : it->second;
}

void AnswerCache::Insert(const WalIndexState& state, std::string key, SerializedAnswer answer) {
  absl::MutexLock lock(&mu_);
  if (state != state_ || answers_.size() >= kMaxEntries) {
    answers_.clear();
    state_ = state;
  }
  answers_.insert_or_assign(std::move(key), std::move(answer));
}

std::string AnswerKey(std::string_view method, const google::protobuf::Message& request) {
  std::string key(method);
  key.push_back('\0');
  // Deterministic: equal requests give equal bytes within this binary.
  google::protobuf::io::StringOutputStream stream(&key);
  google::protobuf::io::CodedOutputStream output(&stream);
  output.SetSerializationDeterministic(true);
  request.SerializeToCodedStream(&output);
  return key;
}

std::string AnswerKeyOfWire(std::string_view method, std::string_view request_wire) {
  std::string key;
  key.reserve(method.size() + 1 + request_wire.size());
  key.append(method);
  key.push_back('\0');
  key.append(request_wire);
  return key;
}

absl::Status ParseAnswer(const SerializedAnswer& answer, google::protobuf::Message* out) {
  if (answer == nullptr || !out->ParseFromString(*answer)) {
    return absl::InternalError(
        absl::StrCat("a computed ", out->GetTypeName(), " answer does not parse back"));
  }
  return absl::OkStatus();
}

}  // namespace kfuncdb::server
