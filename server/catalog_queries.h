// Query classes over the catalog: ListLineages, ListReleases, ListViolations,
// ListBuilds and GetBuild. Same contract as kfunc_queries.h: validate, read
// in one read transaction, fill the response only on success; thread-safe.
#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "proto/kfuncdb/v1/kfuncdb.pb.h"
#include "server/reader_pool.h"

namespace kfuncdb::server {

class ListLineagesQuery {
 public:
  explicit ListLineagesQuery(ReaderPool& pool) : pool_(pool) {}
  absl::Status Run(const v1::ListLineagesRequest& request, absl::Time deadline,
                   v1::ListLineagesResponse* response) const;

 private:
  ReaderPool& pool_;
};

class ListReleasesQuery {
 public:
  explicit ListReleasesQuery(ReaderPool& pool) : pool_(pool) {}
  absl::Status Run(const v1::ListReleasesRequest& request, absl::Time deadline,
                   v1::ListReleasesResponse* response) const;

 private:
  ReaderPool& pool_;
};

class ListViolationsQuery {
 public:
  explicit ListViolationsQuery(ReaderPool& pool) : pool_(pool) {}
  absl::Status Run(const v1::ListViolationsRequest& request, absl::Time deadline,
                   v1::ListViolationsResponse* response) const;

 private:
  ReaderPool& pool_;
};

class ListBuildsQuery {
 public:
  explicit ListBuildsQuery(ReaderPool& pool) : pool_(pool) {}
  absl::Status Run(const v1::ListBuildsRequest& request, absl::Time deadline,
                   v1::ListBuildsResponse* response) const;

 private:
  ReaderPool& pool_;
};

class GetBuildQuery {
 public:
  explicit GetBuildQuery(ReaderPool& pool) : pool_(pool) {}
  // NotFound when no build has the id or digest.
  absl::Status Run(const v1::GetBuildRequest& request, absl::Time deadline,
                   v1::Build* response) const;

 private:
  ReaderPool& pool_;
};

}  // namespace kfuncdb::server
