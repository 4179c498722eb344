#include "metrics/build_records.h"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

namespace plinth::metrics {
namespace {

// Schema 0, as the first plinth with build records wrote it; kMigrations bring it forward.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS builds(
  id INTEGER PRIMARY KEY, started REAL, seconds REAL, plinth_version TEXT,
  built INT, cached INT, failed INT, skipped INT);
CREATE TABLE IF NOT EXISTS targets(
  build_id INT REFERENCES builds(id), target TEXT, platform TEXT, cache_key TEXT,
  outcome TEXT, seconds REAL, size INT, layers INT, image_digest TEXT);
CREATE INDEX IF NOT EXISTS targets_by_build ON targets(build_id);
)sql";

// kMigrations[i] brings a store from schema i to i + 1. Only ever append.
constexpr const char* kMigrations[] = {
    // 1: what the report's timeline and critical path need.
    "ALTER TABLE targets ADD COLUMN phase INT DEFAULT -1;"
    "ALTER TABLE targets ADD COLUMN started REAL DEFAULT -1;"
    "ALTER TABLE targets ADD COLUMN needs TEXT DEFAULT '[]';",
};
static_assert(std::size(kMigrations) == kBuildRecordsSchema);

Error SqlError(sqlite3* db, const std::string& doing) {
  return IoError(doing + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

int SchemaVersion(sqlite3* db) {
  Statement s;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s.stmt, nullptr) != SQLITE_OK ||
      sqlite3_step(s.stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int(s.stmt, 0);
}

// Creates schema 0 if absent and applies the migrations it lacks, in one write transaction so
// that two plinths opening an old store at once migrate it once.
Status Migrate(sqlite3* db) {
  if (SchemaVersion(db) >= kBuildRecordsSchema) return Status();
  auto exec = [&](const std::string& sql) -> Status {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return Status();
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    return IoError(msg);
  };
  PLINTH_CHECK(exec("BEGIN IMMEDIATE"));
  auto migrate = [&]() -> Status {
    PLINTH_CHECK(exec(kSchema));
    int version = SchemaVersion(db);
    if (version < 0) return IoError(sqlite3_errmsg(db));
    for (int v = version; v < kBuildRecordsSchema; ++v) PLINTH_CHECK(exec(kMigrations[v]));
    if (version < kBuildRecordsSchema)
      PLINTH_CHECK(exec("PRAGMA user_version = " + std::to_string(kBuildRecordsSchema)));
    return exec("COMMIT");
  };
  Status done = migrate();
  if (!done.ok()) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  return done;
}

std::string NeedsText(const std::vector<std::string>& needs) {
  return nlohmann::json(needs).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The needs column as written by NeedsText; anything else (a hand-edited row) reads as none.
std::vector<std::string> ParseNeeds(const std::string& text) {
  std::vector<std::string> needs;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return needs;
  for (const auto& n : j)
    if (n.is_string()) needs.push_back(n.get<std::string>());
  return needs;
}

}  // namespace

Result<BuildRecords> BuildRecords::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    Error e = SqlError(db, "opening build records " + path);
    sqlite3_close(db);
    return e;
  }
  sqlite3_busy_timeout(db, 30000);
  if (auto migrated = Migrate(db); !migrated.ok()) {
    sqlite3_close(db);
    return IoError("creating build records in " + path + ": " + migrated.error().message());
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
                         "seconds, size, layers, image_digest, phase, started, needs) "
                         "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
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
    sqlite3_bind_int(t.stmt, 10, r.phase);
    sqlite3_bind_double(t.stmt, 11, r.started);
    sqlite3_bind_text(t.stmt, 12, NeedsText(r.needs).c_str(), -1, SQLITE_TRANSIENT);
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
                           "image_digest, phase, started, needs FROM targets WHERE build_id = ? "
                           "ORDER BY rowid",
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
                           text(7), sqlite3_column_int(t.stmt, 8),
                           sqlite3_column_double(t.stmt, 9), ParseNeeds(text(10))});
    }
  }
  return out;
}

}  // namespace plinth::metrics
