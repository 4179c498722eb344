#include "metrics/build_records.h"

#include <sqlite3.h>

namespace plinth::metrics {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS builds(
  id INTEGER PRIMARY KEY, started REAL, seconds REAL, plinth_version TEXT,
  built INT, cached INT, failed INT, skipped INT);
CREATE TABLE IF NOT EXISTS targets(
  build_id INT REFERENCES builds(id), target TEXT, platform TEXT, cache_key TEXT,
  outcome TEXT, seconds REAL, size INT, layers INT, image_digest TEXT);
CREATE INDEX IF NOT EXISTS targets_by_build ON targets(build_id);
)sql";

Error SqlError(sqlite3* db, const std::string& doing) {
  return IoError(doing + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

}  // namespace

Result<BuildRecords> BuildRecords::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    Error e = SqlError(db, "opening build records " + path);
    sqlite3_close(db);
    return e;
  }
  sqlite3_busy_timeout(db, 30000);
  char* err = nullptr;
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    sqlite3_close(db);
    return IoError("creating build records in " + path + ": " + msg);
  }
  return BuildRecords(db);
}

BuildRecords::BuildRecords(BuildRecords&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
BuildRecords::~BuildRecords() { sqlite3_close(db_); }

Result<int64_t> BuildRecords::Add(const BuildRecord& build) {
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
    return SqlError(db_, "starting a build record");
  auto rollback = [&](const std::string& doing) {
    Error e = SqlError(db_, doing);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return e;
  };
  Statement b;
  if (sqlite3_prepare_v2(db_,
                         "INSERT INTO builds(started, seconds, plinth_version, built, cached, "
                         "failed, skipped) VALUES(?,?,?,?,?,?,?)",
                         -1, &b.stmt, nullptr) != SQLITE_OK)
    return rollback("recording a build");
  sqlite3_bind_double(b.stmt, 1, build.started);
  sqlite3_bind_double(b.stmt, 2, build.seconds);
  sqlite3_bind_text(b.stmt, 3, PLINTH_VERSION, -1, SQLITE_STATIC);
  sqlite3_bind_int(b.stmt, 4, build.built);
  sqlite3_bind_int(b.stmt, 5, build.cached);
  sqlite3_bind_int(b.stmt, 6, build.failed);
  sqlite3_bind_int(b.stmt, 7, build.skipped);
  if (sqlite3_step(b.stmt) != SQLITE_DONE) return rollback("recording a build");
  int64_t id = sqlite3_last_insert_rowid(db_);
  Statement t;
  if (sqlite3_prepare_v2(db_,
                         "INSERT INTO targets(build_id, target, platform, cache_key, outcome, "
                         "seconds, size, layers, image_digest) VALUES(?,?,?,?,?,?,?,?,?)",
                         -1, &t.stmt, nullptr) != SQLITE_OK)
    return rollback("recording targets");
  for (const auto& r : build.targets) {
    sqlite3_reset(t.stmt);
    sqlite3_bind_int64(t.stmt, 1, id);
    sqlite3_bind_text(t.stmt, 2, r.target.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(t.stmt, 3, r.platform.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(t.stmt, 4, r.cache_key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(t.stmt, 5, r.outcome.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(t.stmt, 6, r.seconds);
    sqlite3_bind_int64(t.stmt, 7, r.size);
    sqlite3_bind_int(t.stmt, 8, r.layers);
    sqlite3_bind_text(t.stmt, 9, r.image_digest.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(t.stmt) != SQLITE_DONE) return rollback("recording target " + r.target);
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return rollback("committing a build record");
  return id;
}

Result<std::vector<BuildRecord>> BuildRecords::Recent(int limit) const {
  Statement b;
  if (sqlite3_prepare_v2(db_,
                         "SELECT id, started, seconds, built, cached, failed, skipped FROM builds "
                         "ORDER BY id DESC LIMIT ?",
                         -1, &b.stmt, nullptr) != SQLITE_OK)
    return SqlError(db_, "reading build records");
  sqlite3_bind_int(b.stmt, 1, limit);
  std::vector<BuildRecord> out;
  while (sqlite3_step(b.stmt) == SQLITE_ROW) {
    BuildRecord r;
    r.id = sqlite3_column_int64(b.stmt, 0);
    r.started = sqlite3_column_double(b.stmt, 1);
    r.seconds = sqlite3_column_double(b.stmt, 2);
    r.built = sqlite3_column_int(b.stmt, 3);
    r.cached = sqlite3_column_int(b.stmt, 4);
    r.failed = sqlite3_column_int(b.stmt, 5);
    r.skipped = sqlite3_column_int(b.stmt, 6);
    out.push_back(std::move(r));
  }
  for (auto& r : out) {
    Statement t;
    if (sqlite3_prepare_v2(db_,
                           "SELECT target, platform, cache_key, outcome, seconds, size, layers, "
                           "image_digest FROM targets WHERE build_id = ? ORDER BY rowid",
                           -1, &t.stmt, nullptr) != SQLITE_OK)
      return SqlError(db_, "reading target records");
    sqlite3_bind_int64(t.stmt, 1, r.id);
    auto text = [&](int col) {
      auto* p = sqlite3_column_text(t.stmt, col);
      return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
    };
    while (sqlite3_step(t.stmt) == SQLITE_ROW) {
      r.targets.push_back({text(0), text(1), text(2), text(3), sqlite3_column_double(t.stmt, 4),
                           sqlite3_column_int64(t.stmt, 5), sqlite3_column_int(t.stmt, 6),
                           text(7)});
    }
  }
  return out;
}

}  // namespace plinth::metrics
