// AnswerCache: answers already computed at the current database state,
// kept serialized, so a repeated question (a dashboard polling the same
// kfuncs, a CI job checking the same program) costs a memory read, a hash
// lookup and a reference count instead of a read transaction, a dozen
// statements and a serialization. The server hands the shared bytes to
// gRPC as they are (see wire_format.h).
//
// Consistency: every entry is tagged with the WalIndexState read before the
// read transaction that computed it (wal_index_probe.h says why that tag is
// sound), and the cache holds entries of one state at a time: inserting
// under a new state drops the old ones. Find() answers only for the state
// asked about, so a caller that passes the state it has just read gets an
// answer of exactly the current database, or nothing. Only successful
// answers are kept.
//
// Bounded: at most kMaxEntries answers; when full it is emptied (questions
// repeat in bursts, so a simple reset beats LRU bookkeeping per hit).
//
// Thread safety: all methods may be called concurrently; lookups share a
// reader lock. The SerializedAnswer it hands out is immutable and may
// outlive the cache on any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/wal_index_probe.h"

namespace kfuncdb::server {

// An answer message in its wire form, shared by the cache and the responses
// that are sending it.
using SerializedAnswer = std::shared_ptr<const std::string>;

class AnswerCache {
 public:
  static constexpr size_t kMaxEntries = 4096;

  // The answer stored under `key` at `state`, or nullptr.
  SerializedAnswer Find(const WalIndexState& state, std::string_view key) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // Stores `answer`, computed at `state`. Entries of any other state are
  // dropped first.
  void Insert(const WalIndexState& state, std::string key, SerializedAnswer answer)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  WalIndexState state_ ABSL_GUARDED_BY(mu_) = {};
  absl::flat_hash_map<std::string, SerializedAnswer> answers_ ABSL_GUARDED_BY(mu_);
};

// The cache key of a request: method name, NUL, then the request's
// deterministic serialization.
std::string AnswerKey(std::string_view method, const google::protobuf::Message& request);
// The same key over request bytes as received. It equals AnswerKey() of the
// parsed request whenever the client serialized it the usual way (fields in
// number order, no unknown fields), which is what every protobuf library
// does for these messages; otherwise it simply matches nothing.
std::string AnswerKeyOfWire(std::string_view method, std::string_view request_wire);

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
