// DiffReleasesQuery: what changed between two releases of a lineage, or two
// builds: kfuncs added and removed, flags and prototypes changed (from the
// builds' own observations: flags are the union over a release's builds
// whose flags are known), and lifecycle status changed (from the lifecycle
// tables, at the two sides' points). Contract as kfunc_queries.h.
#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "proto/kfuncdb/v1/kfuncdb.pb.h"
#include "server/reader_pool.h"

namespace kfuncdb::server {

class DiffReleasesQuery {
 public:
  explicit DiffReleasesQuery(ReaderPool& pool) : pool_(pool) {}
  // InvalidArgument for a missing or malformed side; NotFound for a build id
  // that does not exist.
  absl::Status Run(const v1::DiffReleasesRequest& request, absl::Time deadline,
                   v1::DiffReleasesResponse* response) const;

 private:
  ReaderPool& pool_;
};

}  // namespace kfuncdb::server
