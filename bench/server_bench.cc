// server_bench: kfuncdb-server's throughput and latency against gRPC's own
// floor, measured in the same run on the same machine.
//
// Starts the server in-process on a loopback port and drives it with a
// closed-loop client: 8 channels (separate connections), 64 calls in flight,
// each finished call immediately replaced, for --seconds per method, taken
// in kRounds interleaved rounds (the ratios are medians over the rounds):
//   grpc.health.v1.Health/Check  the baseline: same server, same client, no
//                                database work
//   GetKfunc                     rotating over 10 kfuncs of the lineage
//   CheckCompatibility           10 kfuncs x 3 releases
// and prints throughput, p50 and p99 per method, then the ratios against
// the baseline with the targets (GetKfunc >= 0.8x the baseline's throughput,
// CheckCompatibility >= 0.6x, p99 under 2x the baseline's).
//
//   server_bench [--seconds 10] [--db FILE --lineage NAME]
// Without --db the example lineage is generated and ingested through the
// real ingest path into a temporary database.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <google/protobuf/arena.h>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "proto/kfuncdb/v1/kfuncdb.grpc.pb.h"
#include "server/kfuncdb_server.h"
#include "tests/server/ingested_database.h"
#include "tests/support/test_support.h"

namespace kfuncdb::bench {
namespace {

constexpr int kChannels = 8;
constexpr int kCallsInFlight = 64;
// Rounds the measured time of each method is split into (see Run).
constexpr int kRounds = 20;

// Starts one call with `context`; `done` runs when it completes.
using StartCall = std::function<void(grpc::ClientContext* context, std::function<void(grpc::Status)> done)>;

// Where a slot's calls put their responses: one arena, reset before each
// call. A client parsing into an arena pays a pointer bump per nested
// message instead of a malloc and a free (what high-throughput gRPC clients
// do); the client shares the machine with the server, so its waste would
// otherwise be counted against the server. Used for every method alike.
template <typename Response>
class ResponseArena {
 public:
  ResponseArena() : arena_(Options(block_)) {}
  // A fresh response; the previous one must no longer be in use.
  Response* Next() {
    arena_.Reset();
    return google::protobuf::Arena::CreateMessage<Response>(&arena_);
  }

 private:
  static constexpr size_t kBlockBytes = 16 << 10;
  static google::protobuf::ArenaOptions Options(char* block) {
    google::protobuf::ArenaOptions options;
    options.initial_block = block;
    options.initial_block_size = kBlockBytes;
    return options;
  }
  alignas(8) char block_[kBlockBytes];
  google::protobuf::Arena arena_;  // after block_: destroyed first
};

// Latencies and errors of one method, gathered over the rounds, and its
// throughput in each round.
struct Samples {
  std::vector<absl::Duration> latencies;
  int64_t errors = 0;
  absl::Duration measured;
  std::vector<double> round_rates;  // calls per second
};

struct LoopResult {
  std::string method;
  std::vector<double> round_rates;
  int64_t calls = 0;
  int64_t errors = 0;
  double per_second = 0;
  absl::Duration p50;
  absl::Duration p99;
};

// One call slot of the closed loop: issues a call, records its latency, and
// issues the next until the loop's end.
class Slot {
 public:
  Slot(StartCall start, absl::Time measure_from, absl::Time end, absl::BlockingCounter* finished)
      : start_(std::move(start)), measure_from_(measure_from), end_(end), finished_(finished) {}

  void Next() {
    context_ = std::make_unique<grpc::ClientContext>();
    started_ = absl::Now();
    start_(context_.get(), [this](grpc::Status status) {
      const absl::Time now = absl::Now();
      if (started_ >= measure_from_) {
        if (status.ok()) {
          latencies_.push_back(now - started_);
        } else {
          ++errors_;
          if (errors_ == 1) std::fprintf(stderr, "call failed: %s\n", status.error_message().c_str());
        }
      }
      if (now < end_) {
        Next();
      } else {
        finished_->DecrementCount();
      }
    });
  }

  const std::vector<absl::Duration>& latencies() const { return latencies_; }
  int64_t errors() const { return errors_; }

 private:
  StartCall start_;
  absl::Time measure_from_, end_;
  absl::BlockingCounter* finished_;
  std::unique_ptr<grpc::ClientContext> context_;
  absl::Time started_;
  std::vector<absl::Duration> latencies_;
  int64_t errors_ = 0;
};

// Makes the call of one slot: its own request/response storage and channel.
using MakeStart = std::function<StartCall(int slot)>;

// Runs kCallsInFlight slots for `duration` after a short warmup and adds
// what was measured to *samples.
void RunClosedLoop(absl::Duration duration, const MakeStart& make_start, Samples* samples) {
  const absl::Duration warmup = std::min(absl::Seconds(1), duration / 10);
  const absl::Time begin = absl::Now();
  const absl::Time measure_from = begin + warmup;
  const absl::Time end = measure_from + duration;
  absl::BlockingCounter finished(kCallsInFlight);
  std::vector<std::unique_ptr<Slot>> slots;
  for (int i = 0; i < kCallsInFlight; ++i) {
    slots.push_back(std::make_unique<Slot>(make_start(i), measure_from, end, &finished));
  }
  for (auto& slot : slots) slot->Next();
  finished.Wait();

  size_t calls = 0;
  for (const auto& slot : slots) {
    samples->latencies.insert(samples->latencies.end(), slot->latencies().begin(),
                              slot->latencies().end());
    samples->errors += slot->errors();
    calls += slot->latencies().size();
  }
  samples->measured += duration;
  samples->round_rates.push_back(static_cast<double>(calls) / absl::ToDoubleSeconds(duration));
}

LoopResult Summarize(const std::string& method, Samples samples) {
  LoopResult result;
  result.method = method;
  result.errors = samples.errors;
  result.round_rates = samples.round_rates;
  std::vector<absl::Duration>& all = samples.latencies;
  std::sort(all.begin(), all.end());
  result.calls = static_cast<int64_t>(all.size());
  result.per_second = static_cast<double>(all.size()) / absl::ToDoubleSeconds(samples.measured);
  if (!all.empty()) {
    result.p50 = all[all.size() / 2];
    result.p99 = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return result;
}

void Print(const LoopResult& result) {
  std::printf("%-30s %9lld calls %10.0f /s   p50 %8.0f us   p99 %8.0f us   errors %lld\n",
              result.method.c_str(), static_cast<long long>(result.calls), result.per_second,
              absl::ToDoubleMicroseconds(result.p50), absl::ToDoubleMicroseconds(result.p99),
              static_cast<long long>(result.errors));
}

// The throughput ratio is judged per round (a method against the baseline
// measured next to it) and summarised by the median over the rounds, so a
// burst of load from elsewhere on a shared machine, which lands on one or
// two rounds, moves the minimum and maximum but not the verdict.
void PrintRatio(const LoopResult& result, const LoopResult& baseline, double throughput_target) {
  std::vector<double> ratios;
  for (size_t i = 0; i < result.round_rates.size() && i < baseline.round_rates.size(); ++i) {
    if (baseline.round_rates[i] > 0) ratios.push_back(result.round_rates[i] / baseline.round_rates[i]);
  }
  std::sort(ratios.begin(), ratios.end());
  const double median = ratios.empty() ? 0 : ratios.size() % 2 == 1
                                                 ? ratios[ratios.size() / 2]
                                                 : (ratios[ratios.size() / 2 - 1] + ratios[ratios.size() / 2]) / 2;
  const double p99 = absl::ToDoubleMicroseconds(baseline.p99) > 0
                         ? absl::ToDoubleMicroseconds(result.p99) / absl::ToDoubleMicroseconds(baseline.p99)
                         : 0;
  const double of_totals = baseline.per_second > 0 ? result.per_second / baseline.per_second : 0;
  std::printf(
      "%-30s throughput %.2fx baseline, median of %zu rounds (%.2f..%.2f; all calls %.2fx; "
      "target >= %.1f: %s)   p99 %.2fx baseline (target < 2: %s)\n",
      result.method.c_str(), median, ratios.size(), ratios.empty() ? 0 : ratios.front(),
      ratios.empty() ? 0 : ratios.back(), of_totals, throughput_target,
      median >= throughput_target ? "met" : "MISSED", p99, p99 < 2 ? "met" : "MISSED");
}

int Run(int argc, char** argv) {
  double seconds = 10;
  std::string database, lineage;
  CLI::App app{"kfuncdb-server throughput and latency against the health check baseline"};
  app.add_option("--seconds", seconds, "measured seconds per method")->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_option("--db", database, "database to serve (default: the example lineage, generated)");
  app.add_option("--lineage", lineage, "lineage to query (default: example, or mainline with --db)");
  CLI11_PARSE(app, argc, argv);

  std::unique_ptr<testing::ScratchDir> scratch;
  if (database.empty()) {
    scratch = std::make_unique<testing::ScratchDir>();
    database = (*scratch / "example.db").string();
    auto releases = testing::WriteExampleReleases(*scratch / "fixtures");
    if (!releases.ok()) {
      std::fprintf(stderr, "example lineage: %s\n", releases.status().ToString().c_str());
      return 1;
    }
    for (const auto& release : *releases) {
      absl::Status status = testing::IngestInputs(database, {release}, "example");
      if (!status.ok()) {
        std::fprintf(stderr, "ingest %s: %s\n", release.c_str(), status.ToString().c_str());
        return 1;
      }
    }
    if (lineage.empty()) lineage = "example";
  }
  if (lineage.empty()) lineage = "mainline";

  // The server runs in this process: configure it as kfuncdb-server's main does.
  server::ConfigureProcessForServing();
  server::ServerOptions options;
  options.database = database;
  options.listen_address = "127.0.0.1:0";
  auto server = server::KfuncDbServer::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "server: %s\n", server.status().ToString().c_str());
    return 1;
  }
  const std::string address = absl::StrCat("127.0.0.1:", (*server)->port());
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < kChannels; ++i) {
    grpc::ChannelArguments args;
    // A distinct argument per channel keeps gRPC from sharing one connection.
    args.SetInt("kfuncdb.bench.channel", i);
    channels.push_back(grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
  }

  // 10 kfunc names and the 3 newest releases with builds, from the server.
  auto probe = v1::KfuncDb::NewStub(channels[0]);
  std::vector<std::string> names;
  {
    grpc::ClientContext context;
    v1::ListKfuncsRequest request;
    request.set_lineage(lineage);
    request.set_page_size(10);
    v1::ListKfuncsResponse response;
    grpc::Status status = probe->ListKfuncs(&context, request, &response);
    if (!status.ok() || response.kfuncs().empty()) {
      std::fprintf(stderr, "ListKfuncs(%s): %s\n", lineage.c_str(), status.error_message().c_str());
      return 1;
    }
    for (const auto& kfunc : response.kfuncs()) names.push_back(kfunc.name());
  }
  std::vector<std::string> targets;
  {
    grpc::ClientContext context;
    v1::ListReleasesRequest request;
    request.set_lineage(lineage);
    request.set_page_size(1000);
    v1::ListReleasesResponse response;
    if (!probe->ListReleases(&context, request, &response).ok()) return 1;
    for (auto it = response.releases().rbegin(); it != response.releases().rend() && targets.size() < 3; ++it) {
      if (it->has_builds()) targets.push_back(it->name());
    }
  }
  std::printf("server on %s, lineage %s, %zu kfuncs x %zu targets, %d channels, %d calls in flight, %.1fs each\n",
              address.c_str(), lineage.c_str(), names.size(), targets.size(), kChannels, kCallsInFlight,
              seconds);
  {
    // Answer sizes put the ratios in context: the baseline's answer is 2 bytes.
    size_t kfunc_bytes = 0;
    for (const std::string& name : names) {
      grpc::ClientContext context;
      v1::GetKfuncRequest request;
      request.set_lineage(lineage);
      request.set_name(name);
      v1::Kfunc kfunc;
      if (!probe->GetKfunc(&context, request, &kfunc).ok()) return 1;
      kfunc_bytes += kfunc.ByteSizeLong();
    }
    grpc::ClientContext context;
    v1::CheckCompatibilityRequest request;
    request.set_lineage(lineage);
    for (const std::string& name : names) request.add_kfuncs(name);
    for (const std::string& target : targets) request.add_targets()->set_release(target);
    v1::CheckCompatibilityResponse response;
    if (!probe->CheckCompatibility(&context, request, &response).ok()) return 1;
    std::printf("answer sizes: GetKfunc %zu bytes on average, CheckCompatibility %zu bytes\n",
                kfunc_bytes / names.size(), response.ByteSizeLong());
  }

  const MakeStart health_call = [&](int slot) -> StartCall {
    auto stub = std::shared_ptr<grpc::health::v1::Health::Stub>(
        grpc::health::v1::Health::NewStub(channels[slot % kChannels]));
    auto request = std::make_shared<grpc::health::v1::HealthCheckRequest>();
    auto responses = std::make_shared<ResponseArena<grpc::health::v1::HealthCheckResponse>>();
    return [stub, request, responses](grpc::ClientContext* context, std::function<void(grpc::Status)> done) {
      stub->async()->Check(context, request.get(), responses->Next(), std::move(done));
    };
  };
  const MakeStart get_kfunc_call = [&](int slot) -> StartCall {
    auto stub = std::shared_ptr<v1::KfuncDb::Stub>(v1::KfuncDb::NewStub(channels[slot % kChannels]));
    auto request = std::make_shared<v1::GetKfuncRequest>();
    request->set_lineage(lineage);
    auto responses = std::make_shared<ResponseArena<v1::Kfunc>>();
    auto next_name = std::make_shared<size_t>(slot);
    return [stub, request, responses, next_name, &names](grpc::ClientContext* context,
                                                        std::function<void(grpc::Status)> done) {
      request->set_name(names[(*next_name)++ % names.size()]);
      stub->async()->GetKfunc(context, request.get(), responses->Next(), std::move(done));
    };
  };
  const MakeStart compatibility_call = [&](int slot) -> StartCall {
    auto stub = std::shared_ptr<v1::KfuncDb::Stub>(v1::KfuncDb::NewStub(channels[slot % kChannels]));
    auto request = std::make_shared<v1::CheckCompatibilityRequest>();
    request->set_lineage(lineage);
    for (const std::string& name : names) request->add_kfuncs(name);
    for (const std::string& target : targets) request->add_targets()->set_release(target);
    auto responses = std::make_shared<ResponseArena<v1::CheckCompatibilityResponse>>();
    return [stub, request, responses](grpc::ClientContext* context, std::function<void(grpc::Status)> done) {
      stub->async()->CheckCompatibility(context, request.get(), responses->Next(), std::move(done));
    };
  };

  // The methods take turns in short rounds, each round starting with the
  // next method, so a change in the load of a shared machine falls on the
  // baseline and the methods alike instead of on whichever ran during it.
  const absl::Duration round = absl::Seconds(seconds) / kRounds;
  Samples health_samples, get_kfunc_samples, compatibility_samples;
  const std::array<std::pair<const MakeStart*, Samples*>, 3> methods = {{
      {&health_call, &health_samples},
      {&get_kfunc_call, &get_kfunc_samples},
      {&compatibility_call, &compatibility_samples},
  }};
  for (int i = 0; i < kRounds; ++i) {
    for (size_t j = 0; j < methods.size(); ++j) {
      const auto& [make_start, samples] = methods[(i + j) % methods.size()];
      RunClosedLoop(round, *make_start, samples);
    }
  }
  const LoopResult health = Summarize("grpc.health.v1.Health/Check", std::move(health_samples));
  const LoopResult get_kfunc = Summarize("kfuncdb.v1.KfuncDb/GetKfunc", std::move(get_kfunc_samples));
  const LoopResult compatibility =
      Summarize("kfuncdb.v1.KfuncDb/CheckCompatibility", std::move(compatibility_samples));

  Print(health);
  Print(get_kfunc);
  Print(compatibility);
  PrintRatio(get_kfunc, health, 0.8);
  PrintRatio(compatibility, health, 0.6);
  (*server)->Shutdown(absl::Seconds(1));
  (*server)->Wait();
  return health.errors + get_kfunc.errors + compatibility.errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace kfuncdb::bench

int main(int argc, char** argv) { return kfuncdb::bench::Run(argc, argv); }
