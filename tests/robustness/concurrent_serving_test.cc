// Concurrency test: the real kfuncdb-server answers several client threads
// (generated stubs, loopback) while the real kfuncdb-ingest adds builds to
// the same database, one process per build. Checked:
//  - zero failed RPCs;
//  - every answer shows one database state: the builds a ListBuilds answer
//    lists are exactly the first N of the ingest order, each with its full
//    kfunc count (a half-written build or a mix of two states would show a
//    gap or a wrong count), and a thread never sees fewer builds than in an
//    earlier answer (no going back to an older snapshot);
//  - the builds ingested meanwhile appear in answers;
//  - cached answers (GetKfunc) asked after the last build landed equal those
//    of a fresh server over a database holding the same builds: the cache
//    noticed every commit of the other process;
//  - the WAL stays bounded, and once the load stops a TRUNCATE checkpoint
//    by a writer completes while the server still runs: the server holds no
//    read snapshot when idle, so checkpoints can always catch up.
// The totals line ("concurrency: ...") is what the report script quotes.
// Bounded: each thread makes at most kMaxCallsPerThread calls.
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "kfuncdb/v1/kfuncdb.grpc.pb.h"
#include "tests/robustness/robustness_support.h"
#include "tests/support/test_support.h"

namespace kfuncdb::robustness {
namespace {

constexpr int kClientThreads = 4;
constexpr int kMaxCallsPerThread = 3000;
constexpr int kCallsAfterIngest = 20;
constexpr int kInitialBuilds = 2;
// Introduced in 6.8 and stable since 6.9, the last two builds to land (the
// builds go in by folder name): its lifecycle changes with the last commit.
constexpr char kCachedKfunc[] = "bpf_example_lookup_old";

// The lifecycle GetKfunc answers for kCachedKfunc, serialized; empty on
// failure.
std::string CachedLifecycle(v1::KfuncDb::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::GetKfuncRequest request;
  request.set_name(kCachedKfunc);
  v1::Kfunc kfunc;
  if (!stub.GetKfunc(&context, request, &kfunc).ok()) return "";
  return kfunc.lifecycle().SerializeAsString();
}

int64_t FileSize(const std::filesystem::path& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 ? info.st_size : 0;
}

TEST(ConcurrentServingTest, AnswersStayConsistentWhileBuildsArrive) {
  testing::ScratchDir dir;
  const std::vector<std::filesystem::path> builds = WriteExampleBuilds(dir.path());
  ASSERT_GT(builds.size(), static_cast<size_t>(kInitialBuilds));

  // Reference kfunc counts per kernel release, in ingest order.
  const std::filesystem::path reference_db = dir / "reference.db";
  std::vector<std::string> order;
  std::map<std::string, uint32_t> expected_kfuncs;
  for (const auto& build : builds) {
    testing::ProcessOutput run = testing::RunProcess(
        {kIngestBinary, "--db", reference_db.string(), "--jobs", "1", build.string()}, dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    SqliteFile reference(reference_db);
    std::vector<std::string> newest = reference.Rows(
        "SELECT b.kernel_release, (SELECT count(*) FROM build_kfuncs k WHERE k.build_id = b.id)"
        " FROM builds b ORDER BY b.id DESC LIMIT 1");
    ASSERT_EQ(newest.size(), 1u);
    const std::string release = newest[0].substr(0, newest[0].find('|'));
    order.push_back(release);
    expected_kfuncs[release] = std::stoul(newest[0].substr(newest[0].find('|') + 1));
  }

  const std::filesystem::path db = dir / "served.db";
  for (int i = 0; i < kInitialBuilds; ++i) {
    ASSERT_EQ(testing::RunProcess({kIngestBinary, "--db", db.string(), builds[i].string()}, dir.path())
                  .exit_code,
              0);
  }
  ServerUnderTest server(db, dir.path());
  ASSERT_GT(server.port(), 0) << server.log();

  std::atomic<bool> ingest_done{false};
  std::atomic<int64_t> calls{0}, failures{0}, inconsistent{0}, max_wal{0};
  std::mutex cached_mutex;
  std::vector<std::string> cached_after_ingest;  // kCachedKfunc's lifecycle, asked after the last build
  std::atomic<int> max_builds_seen{0};
  std::mutex first_problem_mutex;
  std::string first_problem;
  auto report = [&](const std::string& problem) {
    std::lock_guard<std::mutex> lock(first_problem_mutex);
    if (first_problem.empty()) first_problem = problem;
  };

  auto client = [&](int thread_index) {
    auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
    auto stub = v1::KfuncDb::NewStub(channel);
    int after_ingest = 0, last_count = 0;
    for (int i = 0; i < kMaxCallsPerThread && after_ingest < kCallsAfterIngest; ++i) {
      if (ingest_done) ++after_ingest;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      ++calls;
      if ((i + thread_index) % 3 == 1) {  // a cached answer, which must notice each commit
        const bool asked_after_ingest = after_ingest > 0;
        std::string lifecycle = CachedLifecycle(*stub);
        if (lifecycle.empty()) {
          ++failures;
          report("GetKfunc failed");
        } else if (asked_after_ingest) {
          std::lock_guard<std::mutex> lock(cached_mutex);
          cached_after_ingest.push_back(std::move(lifecycle));
        }
        continue;
      }
      if ((i + thread_index) % 3 == 2) {  // a heavier call too, answered from the lifecycle tables
        v1::ListKfuncsRequest request;
        request.set_page_size(1000);
        v1::ListKfuncsResponse response;
        grpc::Status status = stub->ListKfuncs(&context, request, &response);
        if (!status.ok()) {
          ++failures;
          report("ListKfuncs: " + status.error_message());
        }
        continue;
      }
      v1::ListBuildsRequest request;
      request.set_page_size(1000);
      v1::ListBuildsResponse response;
      grpc::Status status = stub->ListBuilds(&context, request, &response);
      if (!status.ok()) {
        ++failures;
        report("ListBuilds: " + status.error_message());
        continue;
      }
      std::vector<std::string> seen;
      for (const v1::Build& build : response.builds()) {
        seen.push_back(build.kernel_release());
        auto expected = expected_kfuncs.find(build.kernel_release());
        if (expected == expected_kfuncs.end() || expected->second != build.kfunc_count()) {
          ++inconsistent;
          report("build " + build.kernel_release() + " with " + std::to_string(build.kfunc_count()) +
                 " kfuncs");
        }
      }
      std::sort(seen.begin(), seen.end());
      std::vector<std::string> prefix(order.begin(), order.begin() + std::min(seen.size(), order.size()));
      std::sort(prefix.begin(), prefix.end());
      const int count = static_cast<int>(seen.size());
      if (seen != prefix || count < last_count) {
        ++inconsistent;
        report("answer with " + std::to_string(count) + " builds after one with " +
               std::to_string(last_count) + ", not the first builds ingested");
      }
      last_count = count;
      int previous = max_builds_seen.load();
      while (count > previous && !max_builds_seen.compare_exchange_weak(previous, count)) {
      }
    }
  };

  {
    // Cached before any build lands, so a cache that missed a commit would
    // keep serving this state.
    auto stub = v1::KfuncDb::NewStub(grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
    ASSERT_FALSE(CachedLifecycle(*stub).empty()) << server.log();
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < kClientThreads; ++i) threads.emplace_back(client, i);
  const std::filesystem::path wal = db.string() + "-wal";
  for (size_t i = kInitialBuilds; i < builds.size(); ++i) {
    testing::ChildProcess ingest({kIngestBinary, "--db", db.string(), "--jobs", "1", builds[i].string()},
                                 dir.path(), "ingest");
    while (ingest.Running()) {
      max_wal = std::max<int64_t>(max_wal, FileSize(wal));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    testing::ProcessOutput run = ingest.Wait();
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    max_wal = std::max<int64_t>(max_wal, FileSize(wal));
  }
  ingest_done = true;
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0) << first_problem;
  EXPECT_EQ(inconsistent.load(), 0) << first_problem;
  EXPECT_EQ(max_builds_seen.load(), static_cast<int>(builds.size())) << "new builds never appeared";
  // Ground truth for the cached answers: a server that never saw an
  // earlier state.
  {
    ServerUnderTest fresh(reference_db, dir.path());
    ASSERT_GT(fresh.port(), 0) << fresh.log();
    auto stub = v1::KfuncDb::NewStub(grpc::CreateChannel(fresh.address(), grpc::InsecureChannelCredentials()));
    const std::string expected = CachedLifecycle(*stub);
    ASSERT_FALSE(expected.empty()) << fresh.log();
    ASSERT_FALSE(cached_after_ingest.empty());
    for (const std::string& answer : cached_after_ingest) {
      if (answer != expected) ++inconsistent;
    }
    EXPECT_EQ(inconsistent.load(), 0) << "GetKfunc answers after the last build differ from a fresh server's";
  }
  // The example builds add well under 1 MiB; a WAL that no checkpoint can
  // reset grows by every commit of every run instead.
  EXPECT_LT(max_wal.load(), 8 << 20);

  // Load stopped, server still up: a writer's TRUNCATE checkpoint must
  // complete (busy = 0) and empty the WAL.
  ASSERT_TRUE(server.Running()) << server.log();
  SqliteFile writer(db);
  ASSERT_TRUE(writer.ok()) << writer.error();
  std::vector<std::string> checkpoint = writer.Rows("PRAGMA wal_checkpoint(TRUNCATE)");
  ASSERT_EQ(checkpoint.size(), 1u);
  EXPECT_EQ(checkpoint[0], "0|0|0") << "busy|log pages|checkpointed pages; server log:\n" << server.log();

  std::printf("concurrency: %d client threads, %lld RPCs, %lld failed, %lld inconsistent answers, "
              "%zu builds ingested during load, max WAL %lld bytes, idle checkpoint %s\n",
              kClientThreads, static_cast<long long>(calls.load()),
              static_cast<long long>(failures.load()), static_cast<long long>(inconsistent.load()),
              builds.size() - kInitialBuilds, static_cast<long long>(max_wal.load()),
              checkpoint.empty() ? "?" : checkpoint[0].c_str());
}

}  // namespace
}  // namespace kfuncdb::robustness
