// AnswerCache: answers already computed on one reader connection at its
// current database state, kept serialized, so a repeated question (a
// dashboard polling the same kfuncs, a CI job checking the same program)
// costs a non-blocking read(2) and a reference count instead of a dozen
// statements, a message copy and its serialization. The server hands the
// shared bytes to gRPC as they are (see wire_format.h).
//
// Consistency: each ReaderPool connection owns one cache and empties it
// whenever `PRAGMA data_version` shows that another connection committed
// (the same check that reloads the ServingCatalog), inside the request's
// read transaction. A cached answer was therefore computed from exactly the
// database state the request's transaction sees; the one-state-per-answer
// rule holds. ReaderPool::ReadCached serves a hit without a transaction when
// the DatabaseChangeWatcher shows no commit since that state. Only
// successful answers are kept.
//
// Bounded: at most kMaxEntries answers; when full it is emptied (questions
// repeat in bursts, so a simple reset beats LRU bookkeeping per hit).
//
// Thread safety: the cache itself needs none; a connection, and so its
// cache, is used by one request at a time. The SerializedAnswer it hands out
// is immutable and may outlive the cache on any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kfuncdb::server {

// An answer message in its wire form, shared by the cache and the responses
// that are sending it.
using SerializedAnswer = std::shared_ptr<const std::string>;

class AnswerCache {
 public:
  static constexpr size_t kMaxEntries = 4096;

  // The answer stored under `key`, or nullptr.
  SerializedAnswer Find(const std::string& key) const {
    auto it = answers_.find(key);
    return it == answers_.end() ? nullptr : it->second;
  }

  void Insert(std::string key, SerializedAnswer answer) {
    if (answers_.size() >= kMaxEntries) answers_.clear();
    answers_[std::move(key)] = std::move(answer);
  }

  void Clear() { answers_.clear(); }

 private:
  absl::flat_hash_map<std::string, SerializedAnswer> answers_;
};

// The cache key of a request: method name, then the request's bytes.
std::string AnswerKey(std::string_view method, const google::protobuf::Message& request);

// Serializes the answer that `compute` fills in; compute's error as is.
template <typename Answer>
absl::StatusOr<SerializedAnswer> SerializeAnswer(absl::FunctionRef<absl::Status(Answer*)> compute) {
  Answer answer;
  if (absl::Status status = compute(&answer); !status.ok()) return status;
  return std::make_shared<const std::string>(answer.SerializeAsString());
}

// Parses a serialized answer into *out (for callers that want the message).
// Internal if the bytes do not parse, which would be a server bug.
absl::Status ParseAnswer(const SerializedAnswer& answer, google::protobuf::Message* out);

}  // namespace kfuncdb::server
