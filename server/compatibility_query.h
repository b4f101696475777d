// CheckCompatibilityQuery: can a BPF program that calls these kfuncs load on
// these releases or builds? One verdict per (kfunc, target) and an overall
// verdict. Contract as kfunc_queries.h.
//
// Release targets are judged from the lifecycle tables: the status at the
// target point. Targets after the lineage's newest point with builds
// (projected releases) are judged from the stable-kfunc proposal's promises
// and marked `projected`: a deprecated kfunc stays until its window_end; a
// stable one is at the earliest deprecated in the next release, so it stays
// for window + 1 releases after the newest data; anything else is UNKNOWN.
// Build targets are judged from the build's own observations.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/kfuncdb/v1/kfuncdb.pb.h"
#include "server/answer_cache.h"
#include "server/reader_pool.h"

namespace kfuncdb::server {

inline constexpr int kMaxCompatibilityKfuncs = 1000;
inline constexpr int kMaxCompatibilityTargets = 100;

class CheckCompatibilityQuery {
 public:
  // The method name in this query's AnswerCache keys.
  static constexpr std::string_view kAnswerKeyMethod = "CheckCompatibility";

  explicit CheckCompatibilityQuery(ReaderPool& pool) : pool_(pool) {}
  // The v1::CheckCompatibilityResponse serialized, shared with the pool's
  // AnswerCache: what the server sends.
  absl::StatusOr<SerializedAnswer> RunSerialized(const v1::CheckCompatibilityRequest& request,
                                                 absl::Time deadline) const;
  // The same answer as a message.
  absl::Status Run(const v1::CheckCompatibilityRequest& request, absl::Time deadline,
                   v1::CheckCompatibilityResponse* response) const;

 private:
  ReaderPool& pool_;
};

}  // namespace kfuncdb::server
