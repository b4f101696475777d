// KfuncDbService: the gRPC face of the query classes. Each handler only
// takes the request, runs its query class with the call's deadline, and
// converts the absl::Status to a grpc::Status in one place (ToGrpcStatus);
// no database or domain logic lives here.
//
// Uses gRPC's callback API: handlers run on gRPC's threads and return a
// reactor; the database work is short and bounded by the call's deadline
// (see ReaderPool).
//
// Thread safety: handlers are called concurrently; the service holds only
// the (thread-safe) query classes.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "proto/kfuncdb/v1/kfuncdb.grpc.pb.h"
#include "server/arena_message_allocator.h"
#include "server/catalog_queries.h"
#include "server/compatibility_query.h"
#include "server/diff_query.h"
#include "server/kfunc_queries.h"
#include "server/reader_pool.h"

namespace kfuncdb::server {

// absl::Status -> grpc::Status: same code (the numbering is gRPC's), same
// message.
grpc::Status ToGrpcStatus(const absl::Status& status);

class KfuncDbService final : public v1::KfuncDb::CallbackService {
 public:
  // `pool` must outlive the service. With `log_requests`, one line per call.
  KfuncDbService(ReaderPool& pool, bool log_requests);

  grpc::ServerUnaryReactor* GetKfunc(grpc::CallbackServerContext* context,
                                     const v1::GetKfuncRequest* request, v1::Kfunc* response) override;
  grpc::ServerUnaryReactor* ListKfuncs(grpc::CallbackServerContext* context,
                                       const v1::ListKfuncsRequest* request,
                                       v1::ListKfuncsResponse* response) override;
  grpc::ServerWriteReactor<v1::Deprecation>* ListDeprecations(
      grpc::CallbackServerContext* context, const v1::ListDeprecationsRequest* request) override;
  grpc::ServerUnaryReactor* ListLineages(grpc::CallbackServerContext* context,
                                         const v1::ListLineagesRequest* request,
                                         v1::ListLineagesResponse* response) override;
  grpc::ServerUnaryReactor* ListReleases(grpc::CallbackServerContext* context,
                                         const v1::ListReleasesRequest* request,
                                         v1::ListReleasesResponse* response) override;
  grpc::ServerUnaryReactor* ListBuilds(grpc::CallbackServerContext* context,
                                       const v1::ListBuildsRequest* request,
                                       v1::ListBuildsResponse* response) override;
  grpc::ServerUnaryReactor* GetBuild(grpc::CallbackServerContext* context,
                                     const v1::GetBuildRequest* request, v1::Build* response) override;
  grpc::ServerUnaryReactor* DiffReleases(grpc::CallbackServerContext* context,
                                         const v1::DiffReleasesRequest* request,
                                         v1::DiffReleasesResponse* response) override;
  grpc::ServerUnaryReactor* CheckCompatibility(grpc::CallbackServerContext* context,
                                               const v1::CheckCompatibilityRequest* request,
                                               v1::CheckCompatibilityResponse* response) override;
  grpc::ServerUnaryReactor* ListViolations(grpc::CallbackServerContext* context,
                                           const v1::ListViolationsRequest* request,
                                           v1::ListViolationsResponse* response) override;

 private:
  template <typename Query, typename Request, typename Response>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context, std::string_view method,
                                  const Query& query, const Request& request, Response* response);
  // Logs the call as asked and converts its status.
  grpc::Status Finish(std::string_view method, absl::Time started, const absl::Status& status);

  const bool log_requests_;
  // Request and response of the hot methods on per-call arenas.
  ArenaMessageAllocator<v1::GetKfuncRequest, v1::Kfunc> get_kfunc_messages_;
  ArenaMessageAllocator<v1::CheckCompatibilityRequest, v1::CheckCompatibilityResponse>
      check_compatibility_messages_;
  const GetKfuncQuery get_kfunc_;
  const ListKfuncsQuery list_kfuncs_;
  const ListDeprecationsQuery list_deprecations_;
  const ListLineagesQuery list_lineages_;
  const ListReleasesQuery list_releases_;
  const ListBuildsQuery list_builds_;
  const GetBuildQuery get_build_;
  const DiffReleasesQuery diff_releases_;
  const CheckCompatibilityQuery check_compatibility_;
  const ListViolationsQuery list_violations_;
};

}  // namespace kfuncdb::server
