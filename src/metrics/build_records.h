// BuildRecords: what each `plinth build` did, kept in SQLite inside the store
// (STORE/plinth/builds.db) for `plinth report`. Writes are transactions, so a killed build
// leaves either its whole record or none; two builds may write at once (SQLite's own locking,
// with a busy timeout).
//
//   builds(id INTEGER PRIMARY KEY, started REAL, seconds REAL, plinth_version TEXT,
//          built INT, cached INT, failed INT, skipped INT)
//   targets(build_id INT REFERENCES builds(id), target TEXT, platform TEXT, cache_key TEXT,
//           outcome TEXT, seconds REAL, size INT, layers INT, image_digest TEXT,
//           phase INT, started REAL, needs TEXT)   -- the last three since schema 1
//
// The schema's version is SQLite's user_version; Open migrates an older store forward in a
// transaction (columns are only added, so a plinth of the previous version still writes to a
// migrated store), and the rows written before a column existed read as "not recorded".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/result.h"

struct sqlite3;

namespace plinth::metrics {

struct TargetRecord {
  std::string target;
  std::string platform;
  std::string cache_key;
  std::string outcome;  // built | cached | failed | skipped | cancelled
  double seconds = 0;
  int64_t size = 0;     // compressed bytes of the image's layers and config
  int layers = 0;
  std::string image_digest;
  // Since schema 1; older rows read as the defaults ("not recorded").
  int phase = -1;        // the plan's phase (0: needs nothing built in this build)
  double started = -1;   // seconds after the build began that the target started
  std::vector<std::string> needs;  // the targets of this build it needed, "name@os/arch"
};

// The schema version Open brings a store to.
inline constexpr int kBuildRecordsSchema = 1;

struct BuildRecord {
  int64_t id = 0;
  double started = 0;  // Unix time
  double seconds = 0;
  int built = 0, cached = 0, failed = 0, skipped = 0;
  std::vector<TargetRecord> targets;
};

class BuildRecords {
 public:
  // Opens (creating or migrating to kBuildRecordsSchema) the records at `path`; ":memory:" for
  // tests.
  static Result<BuildRecords> Open(const std::string& path);
  BuildRecords(BuildRecords&&) noexcept;
  ~BuildRecords();

  // Stores a build and its targets in one transaction; returns its id.
  Result<int64_t> Add(const BuildRecord& build);
  // The most recent `limit` builds, newest first, with their targets.
  Result<std::vector<BuildRecord>> Recent(int limit) const;

 private:
  explicit BuildRecords(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace plinth::metrics
