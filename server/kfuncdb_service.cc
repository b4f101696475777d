#include "server/kfuncdb_service.h"

#include <chrono>
#include <concepts>
#include <utility>
#include <vector>

#include <google/protobuf/arena.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/absl_string_view.h"
#include "common/status_macros.h"
#include "server/log.h"
#include "server/wire_format.h"

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
class DeprecationWriter final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  explicit DeprecationWriter(std::vector<grpc::ByteBuffer> entries) : entries_(std::move(entries)) {
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

  std::vector<grpc::ByteBuffer> entries_;
  size_t next_ = 0;
};

// The query classes whose answers are cached serialized (RunSerialized);
// the others answer a message, serialized here.
template <typename Query, typename Request>
concept AnswersSerialized = requires(const Query& query, const Request& request) {
  { query.RunSerialized(request, absl::Time()) } -> std::same_as<absl::StatusOr<SerializedAnswer>>;
  { Query::kAnswerKeyMethod } -> std::convertible_to<std::string_view>;
};

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

KfuncDbService::KfuncDbService(ReaderPool& pool, bool log_requests)
    : log_requests_(log_requests),
      pool_(pool),
      get_kfunc_(pool),
      list_kfuncs_(pool),
      list_deprecations_(pool),
      list_lineages_(pool),
      list_releases_(pool),
      list_builds_(pool),
      get_build_(pool),
      diff_releases_(pool),
      check_compatibility_(pool),
      list_violations_(pool) {}

grpc::Status KfuncDbService::Finish(std::string_view method, absl::Time started,
                                    const absl::Status& status) {
  if (log_requests_ || (!status.ok() && !IsClientError(status.code()))) {
    LogLine(absl::StrCat(ToAbsl(method), " ", absl::StatusCodeToString(status.code()), " ",
                         absl::FormatDuration(absl::Now() - started),
                         status.ok() ? "" : absl::StrCat(": ", status.message())));
  }
  return ToGrpcStatus(status);
}

template <typename Request, typename Response, typename Query>
grpc::ServerUnaryReactor* KfuncDbService::Serve(grpc::CallbackServerContext* context,
                                                std::string_view method, const Query& query,
                                                const Bytes& request_bytes, Bytes* response_bytes) {
  const absl::Time started = absl::Now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if constexpr (AnswersSerialized<Query, Request>) {
    // A request byte for byte like one already answered at the current
    // database state gets that answer before it is even parsed: answers
    // are cached only for requests that parsed and passed validation, under
    // the bytes they serialize to.
    grpc::Slice slice;
    if (request_bytes.TrySingleSlice(&slice).ok()) {
      const std::string_view wire(reinterpret_cast<const char*>(slice.begin()), slice.size());
      if (SerializedAnswer hit = pool_.CachedAnswer(AnswerKeyOfWire(Query::kAnswerKeyMethod, wire))) {
        *response_bytes = SharedByteBuffer(std::move(hit));
        reactor->Finish(Finish(method, started, absl::OkStatus()));
        return reactor;
      }
    }
  }
  absl::Status status = [&]() -> absl::Status {
    if (context->IsCancelled()) return absl::CancelledError("call cancelled before it started");
    // The request and a computed answer are dozens of small messages and
    // strings: on an arena they cost a pointer bump each and go at once.
    google::protobuf::Arena arena;
    auto* request = google::protobuf::Arena::CreateMessage<Request>(&arena);
    KFUNCDB_RETURN_IF_ERROR(ParseRequest(request_bytes, request));
    if constexpr (AnswersSerialized<Query, Request>) {
      KFUNCDB_ASSIGN_OR_RETURN(SerializedAnswer answer,
                               query.RunSerialized(*request, CallDeadline(*context)));
      *response_bytes = SharedByteBuffer(std::move(answer));
      return absl::OkStatus();
    } else {
      auto* response = google::protobuf::Arena::CreateMessage<Response>(&arena);
      KFUNCDB_RETURN_IF_ERROR(query.Run(*request, CallDeadline(*context), response));
      return SerializeResponse(*response, response_bytes);
    }
  }();
  reactor->Finish(Finish(method, started, status));
  return reactor;
}

grpc::ServerUnaryReactor* KfuncDbService::GetKfunc(grpc::CallbackServerContext* context,
                                                   const Bytes* request, Bytes* response) {
  return Serve<v1::GetKfuncRequest, v1::Kfunc>(context, "GetKfunc", get_kfunc_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::ListKfuncs(grpc::CallbackServerContext* context,
                                                     const Bytes* request, Bytes* response) {
  return Serve<v1::ListKfuncsRequest, v1::ListKfuncsResponse>(context, "ListKfuncs", list_kfuncs_,
                                                              *request, response);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* KfuncDbService::ListDeprecations(
    grpc::CallbackServerContext* context, const Bytes* request_bytes) {
  const absl::Time started = absl::Now();
  std::vector<grpc::ByteBuffer> entries;
  absl::Status status = [&]() -> absl::Status {
    v1::ListDeprecationsRequest request;
    KFUNCDB_RETURN_IF_ERROR(ParseRequest(*request_bytes, &request));
    std::vector<v1::Deprecation> calendar;
    KFUNCDB_RETURN_IF_ERROR(list_deprecations_.Run(request, CallDeadline(*context), &calendar));
    entries.resize(calendar.size());
    for (size_t i = 0; i < calendar.size(); ++i) {
      KFUNCDB_RETURN_IF_ERROR(SerializeResponse(calendar[i], &entries[i]));
    }
    return absl::OkStatus();
  }();
  grpc::Status finished = Finish("ListDeprecations", started, status);
  if (!finished.ok()) return new DeprecationWriter(finished);
  return new DeprecationWriter(std::move(entries));
}

grpc::ServerUnaryReactor* KfuncDbService::ListLineages(grpc::CallbackServerContext* context,
                                                       const Bytes* request, Bytes* response) {
  return Serve<v1::ListLineagesRequest, v1::ListLineagesResponse>(context, "ListLineages",
                                                                  list_lineages_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::ListReleases(grpc::CallbackServerContext* context,
                                                       const Bytes* request, Bytes* response) {
  return Serve<v1::ListReleasesRequest, v1::ListReleasesResponse>(context, "ListReleases",
                                                                  list_releases_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::ListBuilds(grpc::CallbackServerContext* context,
                                                     const Bytes* request, Bytes* response) {
  return Serve<v1::ListBuildsRequest, v1::ListBuildsResponse>(context, "ListBuilds", list_builds_,
                                                              *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::GetBuild(grpc::CallbackServerContext* context,
                                                   const Bytes* request, Bytes* response) {
  return Serve<v1::GetBuildRequest, v1::Build>(context, "GetBuild", get_build_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::DiffReleases(grpc::CallbackServerContext* context,
                                                       const Bytes* request, Bytes* response) {
  return Serve<v1::DiffReleasesRequest, v1::DiffReleasesResponse>(context, "DiffReleases",
                                                                  diff_releases_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::CheckCompatibility(grpc::CallbackServerContext* context,
                                                             const Bytes* request, Bytes* response) {
  return Serve<v1::CheckCompatibilityRequest, v1::CheckCompatibilityResponse>(
      context, "CheckCompatibility", check_compatibility_, *request, response);
}

grpc::ServerUnaryReactor* KfuncDbService::ListViolations(grpc::CallbackServerContext* context,
                                                         const Bytes* request, Bytes* response) {
  return Serve<v1::ListViolationsRequest, v1::ListViolationsResponse>(
      context, "ListViolations", list_violations_, *request, response);
}

}  // namespace kfuncdb::server
