// Query classes about kfuncs: GetKfunc, ListKfuncs, ListDeprecations.
//
// Like every query class (TensorFlow Serving style): a plain object over a
// ReaderPool, request proto in, response proto out, absl::Status. Each Run
// validates the request (InvalidArgument naming the field), reads in one
// read transaction, and fills the response only on success. Thread-safe:
// Run may be called concurrently.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/kfuncdb/v1/kfuncdb.pb.h"
#include "server/answer_cache.h"
#include "server/reader_pool.h"

namespace kfuncdb::server {

class GetKfuncQuery {
 public:
  // The method name in this query's AnswerCache keys.
  static constexpr std::string_view kAnswerKeyMethod = "GetKfunc";

  explicit GetKfuncQuery(ReaderPool& pool) : pool_(pool) {}
  // The v1::Kfunc answer serialized, shared with the pool's AnswerCache:
  // what the server sends. NotFound when the lineage has no lifecycle row
  // for the kfunc.
  absl::StatusOr<SerializedAnswer> RunSerialized(const v1::GetKfuncRequest& request,
                                                 absl::Time deadline) const;
  // The same answer as a message.
  absl::Status Run(const v1::GetKfuncRequest& request, absl::Time deadline,
                   v1::Kfunc* response) const;

 private:
  ReaderPool& pool_;
};

class ListKfuncsQuery {
 public:
  explicit ListKfuncsQuery(ReaderPool& pool) : pool_(pool) {}
  absl::Status Run(const v1::ListKfuncsRequest& request, absl::Time deadline,
                   v1::ListKfuncsResponse* response) const;

 private:
  ReaderPool& pool_;
};

class ListDeprecationsQuery {
 public:
  explicit ListDeprecationsQuery(ReaderPool& pool) : pool_(pool) {}
  // The whole calendar, read in one transaction; the caller streams it.
  absl::Status Run(const v1::ListDeprecationsRequest& request, absl::Time deadline,
                   std::vector<v1::Deprecation>* response) const;

 private:
  ReaderPool& pool_;
};

}  // namespace kfuncdb::server
