#include "tests/robustness/robustness_support.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>

#include "absl/strings/numbers.h"

namespace kfuncdb::robustness {

std::vector<std::filesystem::path> WriteExampleBuilds(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  testing::ProcessOutput run =
      testing::RunProcess({kFixtureGenBinary, "example", "--out", (dir / "builds").string()}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::filesystem::path> builds;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "builds", error)) {
    if (entry.is_directory()) builds.push_back(entry.path());
  }
  std::sort(builds.begin(), builds.end());
  EXPECT_FALSE(builds.empty()) << "the example lineage wrote no builds under " << dir;
  return builds;
}

std::vector<std::string> IngestArgv(const std::filesystem::path& db,
                                    const std::vector<std::filesystem::path>& builds) {
  std::vector<std::string> argv = {kIngestBinary, "--db", db.string(), "--jobs", "1"};
  for (const auto& build : builds) argv.push_back(build.string());
  return argv;
}

int IntFromEnv(const char* name, int fallback) {
  const char* text = std::getenv(name);
  int value = 0;
  if (text == nullptr || !absl::SimpleAtoi(text, &value) || value <= 0) return fallback;
  return value;
}

SqliteFile::SqliteFile(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  db_.reset(db);
  if (rc != SQLITE_OK) {
    error_ = path.string() + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    db_.reset();
    return;
  }
  sqlite3_busy_timeout(db, 10000);
}

std::vector<std::string> SqliteFile::Rows(const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_.get());
    return rows;
  }
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    std::string row;
    for (int column = 0; column < sqlite3_column_count(statement); ++column) {
      if (column > 0) row += '|';
      const unsigned char* text = sqlite3_column_text(statement, column);
      if (text != nullptr) row += reinterpret_cast<const char*>(text);
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_.get());
  sqlite3_finalize(statement);
  return rows;
}

int64_t SqliteFile::Int(const std::string& sql) {
  std::vector<std::string> rows = Rows(sql);
  int64_t value = 0;
  if (!rows.empty()) (void)absl::SimpleAtoi(rows[0], &value);
  return value;
}

bool SqliteFile::HasTable(const std::string& name) {
  return Int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'") > 0;
}

std::map<std::string, std::string> BuildShapes(SqliteFile& db) {
  std::map<std::string, std::string> shapes;
  if (!db.HasTable("builds")) return shapes;
  // Each migration commits on its own: a run stopped between 0001 and 0002
  // leaves builds without the lifecycle tables, but no build in it.
  if (!db.HasTable("kfunc_lifecycle")) {
    EXPECT_EQ(db.Int("SELECT count(*) FROM builds"), 0) << "builds stored before the migrations";
    return shapes;
  }
  for (const std::string& row : db.Rows(
           "SELECT b.content_sha256, b.kernel_release,"
           " (SELECT count(*) FROM build_kfuncs k WHERE k.build_id = b.id),"
           " (SELECT count(*) FROM build_modules m WHERE m.build_id = b.id),"
           " (SELECT count(*) FROM lineage_builds l WHERE l.build_id = b.id),"
           " (SELECT count(*) FROM build_kfuncs k WHERE k.build_id = b.id AND NOT EXISTS"
           "   (SELECT 1 FROM kfunc_lifecycle c WHERE c.lineage_id = b.lineage_id"
           "    AND c.kfunc_name_id = k.kfunc_name_id))"
           " FROM builds b")) {
    size_t bar = row.find('|');
    shapes[row.substr(0, bar)] = row.substr(bar + 1);
  }
  return shapes;
}

std::vector<std::string> Lifecycle(SqliteFile& db) {
  return db.Rows(
      "SELECT l.name, n.name, c.introduced_in, c.introduced_after, c.last_present,"
      " c.stable_since, c.deprecated_since, c.removed_in, c.status"
      " FROM kfunc_lifecycle c JOIN lineages l ON l.id = c.lineage_id"
      " JOIN names n ON n.id = c.kfunc_name_id ORDER BY 1, 2");
}

std::string ServerUnderTest::LogName() {
  // Unique per server: the port is read back from the log, and a second
  // server logging to the same file would hand over its own.
  static std::atomic<int> started{0};
  return "kfuncdb-server-" + std::to_string(++started);
}

ServerUnderTest::ServerUnderTest(const std::filesystem::path& db,
                                 const std::filesystem::path& log_dir,
                                 const std::vector<std::string>& extra_args)
    : process_(
          [&] {
            std::vector<std::string> argv = {kServerBinary, "--db", db.string(), "--listen",
                                             "127.0.0.1:0", "--shutdown-grace", "1"};
            argv.insert(argv.end(), extra_args.begin(), extra_args.end());
            return argv;
          }(),
          log_dir, LogName()) {
  // The start line says "... (port N, plaintext)".
  for (int waited_ms = 0; waited_ms < 60000 && process_.Running(); waited_ms += 20) {
    std::string log = process_.Stderr();
    size_t at = log.find("(port ");
    if (at != std::string::npos && log.find(',', at) != std::string::npos) {
      at += 6;
      (void)absl::SimpleAtoi(log.substr(at, log.find(',', at) - at), &port_);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace kfuncdb::robustness
