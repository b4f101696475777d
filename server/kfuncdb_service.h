// KfuncDbService: the gRPC face of the query classes. Each handler only
// parses the request, runs its query class with the call's deadline, and
// converts the absl::Status to a grpc::Status in one place (ToGrpcStatus);
// no database or domain logic lives here. For the cached methods (GetKfunc,
// CheckCompatibility) it first asks the pool's AnswerCache by the request's
// bytes as received, so a repeated question is answered unparsed.
//
// Every method is registered raw (bytes in, bytes out; see wire_format.h):
// requests are parsed here so that undecodable ones get InvalidArgument
// naming the field, and cached answers go out as the cache's own bytes.
// Clients see the ordinary kfuncdb.v1.KfuncDb service; reflection lists it.
//
// Uses gRPC's callback API: handlers run on gRPC's threads and return a
// reactor; the database work is short and bounded by the call's deadline
// (see ReaderPool).
//
// Thread safety: handlers are called concurrently; the service holds only
// the (thread-safe) query classes.
#pragma once

#include <string_view>

#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "proto/kfuncdb/v1/kfuncdb.grpc.pb.h"
#include "server/catalog_queries.h"
#include "server/compatibility_query.h"
#include "server/diff_query.h"
#include "server/kfunc_queries.h"
#include "server/reader_pool.h"

namespace kfuncdb::server {

// absl::Status -> grpc::Status: same code (the numbering is gRPC's), same
// message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// kfuncdb.v1.KfuncDb with every method raw.
using RawKfuncDbService = v1::KfuncDb::WithRawCallbackMethod_GetKfunc<
    v1::KfuncDb::WithRawCallbackMethod_ListKfuncs<
        v1::KfuncDb::WithRawCallbackMethod_ListDeprecations<
            v1::KfuncDb::WithRawCallbackMethod_ListLineages<
                v1::KfuncDb::WithRawCallbackMethod_ListReleases<
                    v1::KfuncDb::WithRawCallbackMethod_ListBuilds<
                        v1::KfuncDb::WithRawCallbackMethod_GetBuild<
                            v1::KfuncDb::WithRawCallbackMethod_DiffReleases<
                                v1::KfuncDb::WithRawCallbackMethod_CheckCompatibility<
                                    v1::KfuncDb::WithRawCallbackMethod_ListViolations<
                                        v1::KfuncDb::Service>>>>>>>>>>;

class KfuncDbService final : public RawKfuncDbService {
 public:
  // `pool` must outlive the service. With `log_requests`, one line per call.
  KfuncDbService(ReaderPool& pool, bool log_requests);

  using Bytes = grpc::ByteBuffer;
  grpc::ServerUnaryReactor* GetKfunc(grpc::CallbackServerContext* context, const Bytes* request,
                                     Bytes* response) override;
  grpc::ServerUnaryReactor* ListKfuncs(grpc::CallbackServerContext* context, const Bytes* request,
                                       Bytes* response) override;
  grpc::ServerWriteReactor<Bytes>* ListDeprecations(grpc::CallbackServerContext* context,
                                                    const Bytes* request) override;
  grpc::ServerUnaryReactor* ListLineages(grpc::CallbackServerContext* context, const Bytes* request,
                                         Bytes* response) override;
  grpc::ServerUnaryReactor* ListReleases(grpc::CallbackServerContext* context, const Bytes* request,
                                         Bytes* response) override;
  grpc::ServerUnaryReactor* ListBuilds(grpc::CallbackServerContext* context, const Bytes* request,
                                       Bytes* response) override;
  grpc::ServerUnaryReactor* GetBuild(grpc::CallbackServerContext* context, const Bytes* request,
                                     Bytes* response) override;
  grpc::ServerUnaryReactor* DiffReleases(grpc::CallbackServerContext* context, const Bytes* request,
                                         Bytes* response) override;
  grpc::ServerUnaryReactor* CheckCompatibility(grpc::CallbackServerContext* context,
                                               const Bytes* request, Bytes* response) override;
  grpc::ServerUnaryReactor* ListViolations(grpc::CallbackServerContext* context,
                                           const Bytes* request, Bytes* response) override;

 private:
  // Parses the request as a `Request`, runs `query` and puts its answer, a
  // `Response`, in *response.
  template <typename Request, typename Response, typename Query>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context, std::string_view method,
                                  const Query& query, const Bytes& request, Bytes* response);
  // Logs the call as asked and converts its status.
  grpc::Status Finish(std::string_view method, absl::Time started, const absl::Status& status);

  const bool log_requests_;
  const ReaderPool& pool_;
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
