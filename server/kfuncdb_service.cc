#include "server/kfuncdb_service.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/absl_string_view.h"
#include "server/log.h"

namespace kfuncdb::server {
namespace {

absl::Time CallDeadline(const grpc::CallbackServerContext& context) {
  const auto deadline = context.deadline();
  // gRPC reports "no deadline" as the clock's maximum.
  if (deadline >= std::chrono::system_clock::time_point::max() - std::chrono::hours(24 * 365)) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(deadline);
}

// Codes a client causes by its request or its deadline: logged only with
// --log-requests. Every other error is the server's and always logged.
bool IsClientError(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kDeadlineExceeded:
      return true;
    default:
      return false;
  }
}

// Streams the deprecation calendar, one message per write, then finishes.
class DeprecationWriter final : public grpc::ServerWriteReactor<v1::Deprecation> {
 public:
  explicit DeprecationWriter(std::vector<v1::Deprecation> entries) : entries_(std::move(entries)) {
    WriteNext();
  }
  // Finishes at once with an error.
  explicit DeprecationWriter(const grpc::Status& status) { Finish(status); }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "stream closed by the client"));
      return;
    }
    ++next_;
    WriteNext();
  }
  void OnDone() override { delete this; }

 private:
  void WriteNext() {
    if (next_ < entries_.size()) {
      StartWrite(&entries_[next_]);
    } else {
      Finish(grpc::Status::OK);
    }
  }

  std::vector<v1::Deprecation> entries_;
  size_t next_ = 0;
};

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

KfuncDbService::KfuncDbService(ReaderPool& pool, bool log_requests)
    : log_requests_(log_requests),
      get_kfunc_(pool),
      list_kfuncs_(pool),
      list_deprecations_(pool),
      list_lineages_(pool),
      list_releases_(pool),
      list_builds_(pool),
      get_build_(pool),
      diff_releases_(pool),
      check_compatibility_(pool),
      list_violations_(pool) {
  SetMessageAllocatorFor_GetKfunc(&get_kfunc_messages_);
  SetMessageAllocatorFor_CheckCompatibility(&check_compatibility_messages_);
}

grpc::Status KfuncDbService::Finish(std::string_view method, absl::Time started,
                                    const absl::Status& status) {
  if (log_requests_ || (!status.ok() && !IsClientError(status.code()))) {
    LogLine(absl::StrCat(ToAbsl(method), " ", absl::StatusCodeToString(status.code()), " ",
                         absl::FormatDuration(absl::Now() - started),
                         status.ok() ? "" : absl::StrCat(": ", status.message())));
  }
  return ToGrpcStatus(status);
}

template <typename Query, typename Request, typename Response>
grpc::ServerUnaryReactor* KfuncDbService::Serve(grpc::CallbackServerContext* context,
                                                std::string_view method, const Query& query,
                                                const Request& request, Response* response) {
  const absl::Time started = absl::Now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status = context->IsCancelled()
                            ? absl::CancelledError("call cancelled before it started")
                            : query.Run(request, CallDeadline(*context), response);
  reactor->Finish(Finish(method, started, status));
  return reactor;
}

grpc::ServerUnaryReactor* KfuncDbService::GetKfunc(grpc::CallbackServerContext* context,
                                                   const v1::GetKfuncRequest* request,
                                                   v1::Kfunc* response) {
  return Serve(context, "GetKfunc", get_kfunc_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::ListKfuncs(grpc::CallbackServerContext* context,
                                                     const v1::ListKfuncsRequest* request,
                                                     v1::ListKfuncsResponse* response) {
  return Serve(context, "ListKfuncs", list_kfuncs_, *request, response);
}

grpc::ServerWriteReactor<v1::Deprecation>* KfuncDbService::ListDeprecations(
    grpc::CallbackServerContext* context, const v1::ListDeprecationsRequest* request) {
  const absl::Time started = absl::Now();
  std::vector<v1::Deprecation> calendar;
  absl::Status status = list_deprecations_.Run(*request, CallDeadline(*context), &calendar);
  grpc::Status finished = Finish("ListDeprecations", started, status);
  if (!finished.ok()) return new DeprecationWriter(finished);
  return new DeprecationWriter(std::move(calendar));
}

grpc::ServerUnaryReactor* KfuncDbService::ListLineages(grpc::CallbackServerContext* context,
                                                       const v1::ListLineagesRequest* request,
                                                       v1::ListLineagesResponse* response) {
  return Serve(context, "ListLineages", list_lineages_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::ListReleases(grpc::CallbackServerContext* context,
                                                       const v1::ListReleasesRequest* request,
                                                       v1::ListReleasesResponse* response) {
  return Serve(context, "ListReleases", list_releases_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::ListBuilds(grpc::CallbackServerContext* context,
                                                     const v1::ListBuildsRequest* request,
                                                     v1::ListBuildsResponse* response) {
  return Serve(context, "ListBuilds", list_builds_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::GetBuild(grpc::CallbackServerContext* context,
                                                   const v1::GetBuildRequest* request,
                                                   v1::Build* response) {
  return Serve(context, "GetBuild", get_build_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::DiffReleases(grpc::CallbackServerContext* context,
                                                       const v1::DiffReleasesRequest* request,
                                                       v1::DiffReleasesResponse* response) {
  return Serve(context, "DiffReleases", diff_releases_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::CheckCompatibility(
    grpc::CallbackServerContext* context, const v1::CheckCompatibilityRequest* request,
    v1::CheckCompatibilityResponse* response) {
  return Serve(context, "CheckCompatibility", check_compatibility_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::ListViolations(grpc::CallbackServerContext* context,
                                                         const v1::ListViolationsRequest* request,
                                                         v1::ListViolationsResponse* response) {
  return Serve(context, "ListViolations", list_violations_, *request, response);
}

}  // namespace kfuncdb::server
