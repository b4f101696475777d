#include "ingest/store/lifecycle_cache.h"

#include <mutex>
#include <random>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "common/sqlite/statement.h"
#include "common/status_macros.h"

namespace kfuncdb::store {
namespace {

// More would only help a process writing many databases or lineages at
// once; a miss costs one read of the lineage.
constexpr size_t kMaxSnapshots = 8;

struct Filed {
  int64_t stamp = 0;
  LineageSnapshot snapshot;
};

class Registry {
 public:
  static Registry& Instance() {
    static Registry* registry = new Registry();  // never destroyed: used until exit
    return *registry;
  }

  std::optional<LineageSnapshot> Take(const std::string& file, LineageRowId lineage, int64_t stamp) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = filed_.find({file, lineage.value()});
    if (it == filed_.end()) return std::nullopt;
    std::optional<LineageSnapshot> snapshot;
    if (it->second.stamp == stamp) snapshot = std::move(it->second.snapshot);
    filed_.erase(it);
    return snapshot;
  }

  void File(const std::string& file, LineageRowId lineage, int64_t stamp, std::optional<LineageSnapshot> snapshot) {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::pair<std::string, int64_t> key{file, lineage.value()};
    if (!snapshot) {
      filed_.erase(key);
      return;
    }
    if (filed_.size() >= kMaxSnapshots && !filed_.contains(key)) filed_.erase(filed_.begin());
    filed_[key] = {stamp, *std::move(snapshot)};
  }

  int64_t NewStamp() {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int64_t>(random_());
  }

 private:
  Registry() : random_(std::random_device()()) {}

  std::mutex mutex_;
  std::mt19937_64 random_;
  absl::flat_hash_map<std::pair<std::string, int64_t>, Filed> filed_;
};

}  // namespace

absl::StatusOr<std::optional<LineageSnapshot>> TakeSnapshot(sqlite::Database& db, LineageRowId lineage) {
  KFUNCDB_ASSIGN_OR_RETURN(sqlite::Statement * select,
                           db.Prepared("SELECT stamp FROM lifecycle_stamps WHERE lineage_id = ?"));
  KFUNCDB_RETURN_IF_ERROR(select->BindAll(lineage.value()));
  KFUNCDB_ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) {
    Registry::Instance().File(db.path().string(), lineage, 0, std::nullopt);
    return std::nullopt;
  }
  const int64_t stamp = select->ColumnInt64(0);
  select->Reset();
  return Registry::Instance().Take(db.path().string(), lineage, stamp);
}

absl::Status StampLineage(sqlite::Database& db, LineageRowId lineage, std::optional<LineageSnapshot> snapshot) {
  const int64_t stamp = Registry::Instance().NewStamp();
  KFUNCDB_ASSIGN_OR_RETURN(
      sqlite::Statement * upsert,
      db.Prepared("INSERT INTO lifecycle_stamps (lineage_id, stamp) VALUES (?, ?)"
                  " ON CONFLICT DO UPDATE SET stamp = excluded.stamp"));
  KFUNCDB_RETURN_IF_ERROR(upsert->BindAll(lineage.value(), stamp));
  KFUNCDB_RETURN_IF_ERROR(upsert->Run());
  Registry::Instance().File(db.path().string(), lineage, stamp, std::move(snapshot));
  return absl::OkStatus();
}

absl::Status ForgetAllStamps(sqlite::Database& db) { return db.Execute("DELETE FROM lifecycle_stamps"); }

}  // namespace kfuncdb::store
