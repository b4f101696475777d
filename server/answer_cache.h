// AnswerCache: answers already computed on one reader connection at its
// current database state, so a repeated question (a dashboard polling the
// same kfuncs, a CI job checking the same program) costs one
// `PRAGMA data_version` and a copy instead of a dozen statements.
//
// Consistency: each ReaderPool connection owns one cache and empties it
// whenever `PRAGMA data_version` shows that another connection committed
// (the same check that reloads the ServingCatalog), inside the request's
// read transaction. A cached answer was therefore computed from exactly the
// database state the request's transaction sees; the one-state-per-answer
// rule holds. ReaderPool serves a hit without a transaction when the same
// pragma, run on its own, shows no commit since that state. Only successful answers are kept.
//
// Bounded: at most kMaxEntries answers; when full it is emptied (questions
// repeat in bursts, so a simple reset beats LRU bookkeeping per hit).
//
// Thread safety: none needed; a connection, and so its cache, is used by
// one request at a time.
#pragma once

#include <memory>
#include <string>

#include <google/protobuf/message.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"

namespace kfuncdb::server {

class AnswerCache {
 public:
  static constexpr size_t kMaxEntries = 4096;

  // The answer stored under `key`, or nullptr. `Answer` must be the type it
  // was stored with (keys start with the method name, so they cannot clash).
  template <typename Answer>
  const Answer* Find(const std::string& key) const {
    auto it = answers_.find(key);
    return it == answers_.end() ? nullptr : static_cast<const Answer*>(it->second.get());
  }

  // Copies the answer stored under `key` to *out and returns true, or
  // returns false (leaving *out alone) when there is none.
  template <typename Answer>
  bool CopyTo(const std::string& key, Answer* out) const {
    const Answer* hit = Find<Answer>(key);
    if (hit == nullptr) return false;
    *out = *hit;
    return true;
  }

  template <typename Answer>
  void Insert(std::string key, const Answer& answer) {
    if (answers_.size() >= kMaxEntries) answers_.clear();
    answers_[std::move(key)] = std::make_unique<Answer>(answer);
  }

  void Clear() { answers_.clear(); }

 private:
  absl::flat_hash_map<std::string, std::unique_ptr<const google::protobuf::Message>> answers_;
};

// The cache key of a request: method name, then the request's bytes.
std::string AnswerKey(std::string_view method, const google::protobuf::Message& request);

// The answer under `key` when cached; else compute(&answer), caching it on
// success. *out is set only on success.
template <typename Answer, typename Compute>
absl::Status CachedAnswer(AnswerCache& cache, const std::string& key, Answer* out, Compute compute) {
  if (cache.CopyTo(key, out)) return absl::OkStatus();
  Answer answer;
  if (absl::Status status = compute(&answer); !status.ok()) return status;
  cache.Insert(key, answer);
  *out = std::move(answer);
  return absl::OkStatus();
}

}  // namespace kfuncdb::server
