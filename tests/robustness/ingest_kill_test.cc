// Crash test: the real kfuncdb-ingest is killed with SIGKILL at random
// moments while it ingests the example builds, round after round. After each
// round the store must pass PRAGMA integrity_check and foreign_key_check,
// and every build in it must be complete: the same kfunc, module and
// lineage rows as in a reference store ingested without interruption, and
// a lifecycle row for each of its kfuncs. A final uninterrupted run must
// complete the set and leave the same lifecycle as the reference.
//
// Rounds: $KFUNCDB_KILL_ROUNDS (default 20; scripts/robustness-report.sh
// runs 200). Seed: $KFUNCDB_KILL_SEED (default: random, printed). When a
// round's store already holds every build, the next round starts from a new
// store, so kills keep landing in creation, migration and ingestion alike.
// The outcome line ("kill rounds: ...") is what the report script quotes.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "tests/robustness/robustness_support.h"
#include "tests/support/test_support.h"

namespace kfuncdb::robustness {
namespace {

using Clock = std::chrono::steady_clock;

void RemoveStore(const std::filesystem::path& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(db.string() + suffix);
  }
}

TEST(IngestKillTest, EveryRoundLeavesAnIntactStoreOfCompleteBuilds) {
  testing::ScratchDir dir;
  const std::vector<std::filesystem::path> builds = WriteExampleBuilds(dir.path());
  ASSERT_FALSE(builds.empty());

  // The reference store, and how long an uninterrupted run takes here (in
  // this build: sanitizers make it slower), which bounds the kill moments.
  const std::filesystem::path reference_db = dir / "reference.db";
  Clock::time_point start = Clock::now();
  testing::ProcessOutput reference_run = testing::RunProcess(IngestArgv(reference_db, builds), dir.path());
  const auto full_run = Clock::now() - start;
  ASSERT_EQ(reference_run.exit_code, 0) << reference_run.out << reference_run.err;
  SqliteFile reference(reference_db);
  ASSERT_TRUE(reference.ok()) << reference.error();
  const std::map<std::string, std::string> expected = BuildShapes(reference);
  const std::vector<std::string> expected_lifecycle = Lifecycle(reference);
  ASSERT_EQ(expected.size(), builds.size());
  for (const auto& [sha, shape] : expected) {
    ASSERT_TRUE(shape.ends_with("|0")) << "reference build without lifecycle rows: " << shape;
  }

  const int rounds = IntFromEnv("KFUNCDB_KILL_ROUNDS", 20);
  const unsigned seed = static_cast<unsigned>(IntFromEnv("KFUNCDB_KILL_SEED", std::random_device{}()));
  std::mt19937 random(seed);
  const int64_t window_us =
      std::chrono::duration_cast<std::chrono::microseconds>(full_run).count() * 5 / 4 + 1000;
  std::uniform_int_distribution<int64_t> kill_after_us(0, window_us);

  const std::filesystem::path db = dir / "killed.db";
  int killed_mid_run = 0, partial_stores = 0, complete_stores = 0;
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", seed " + std::to_string(seed));
    testing::ChildProcess ingest(IngestArgv(db, builds), dir.path(), "ingest");
    std::this_thread::sleep_for(std::chrono::microseconds(kill_after_us(random)));
    if (ingest.Running()) {
      ingest.Signal(SIGKILL);
      ++killed_mid_run;
    }
    testing::ProcessOutput run = ingest.Wait();
    if (run.exit_code > 0) FAIL() << "ingest failed without being killed: " << run.out << run.err;

    if (!std::filesystem::exists(db)) continue;  // killed before creating it
    SqliteFile store(db);
    ASSERT_TRUE(store.ok()) << store.error();
    ASSERT_EQ(store.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    ASSERT_TRUE(store.Rows("PRAGMA foreign_key_check").empty());
    const std::map<std::string, std::string> found = BuildShapes(store);
    for (const auto& [sha, shape] : found) {
      auto reference_shape = expected.find(sha);
      ASSERT_NE(reference_shape, expected.end()) << "unknown build " << sha;
      ASSERT_EQ(shape, reference_shape->second) << "partial build " << sha;
    }
    if (found.size() == expected.size()) {
      ++complete_stores;
      RemoveStore(db);  // start the next round from nothing
    } else {
      ++partial_stores;
    }
  }

  // One more, uninterrupted run completes the set left by the last round.
  testing::ProcessOutput final_run = testing::RunProcess(IngestArgv(db, builds), dir.path());
  ASSERT_EQ(final_run.exit_code, 0) << final_run.out << final_run.err;
  SqliteFile store(db);
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_EQ(BuildShapes(store), expected);
  EXPECT_EQ(Lifecycle(store), expected_lifecycle);

  std::printf("kill rounds: %d, killed mid-run: %d, stores left partial: %d, complete: %d, "
              "corrupt or partial builds: %d, seed %u\n",
              rounds, killed_mid_run, partial_stores, complete_stores,
              ::testing::Test::HasFailure() ? 1 : 0, seed);
}

}  // namespace
}  // namespace kfuncdb::robustness
