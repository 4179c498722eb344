#include "metrics/build_records.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "support/test_env.h"

namespace plinth::metrics {
namespace {

TEST(BuildRecordsTest, KeepsBuildsAndTargetsNewestFirst) {
  testing::ScratchDir dir;
  {
    auto records = BuildRecords::Open(dir / "builds.db");
    ASSERT_TRUE(records.ok()) << records.error().ToString();
    BuildRecord first{.started = 100, .seconds = 2.5, .built = 1, .cached = 1};
    first.targets = {{"redis", "linux/amd64", "k1", "built", 1.5, 1234, 3, "sha256:aa"},
                     {"mongodb", "linux/amd64", "k2", "cached", 0.0, 999, 2, "sha256:bb"}};
    ASSERT_TRUE(records->Add(first).ok());
    BuildRecord second{.started = 200, .seconds = 0.1, .cached = 2};
    ASSERT_TRUE(records->Add(second).ok());
  }
  auto reopened = BuildRecords::Open(dir / "builds.db");
  ASSERT_TRUE(reopened.ok());
  auto recent = reopened->Recent(10);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[0].started, 200);
  EXPECT_EQ((*recent)[1].targets.size(), 2u);
  EXPECT_EQ((*recent)[1].targets[0].target, "redis");
  EXPECT_EQ((*recent)[1].targets[0].size, 1234);
  EXPECT_EQ((*recent)[1].targets[1].outcome, "cached");
}

TEST(BuildRecordsTest, UnwritablePathIsAClearError) {
  auto records = BuildRecords::Open("/nonexistent-dir/x/builds.db");
  ASSERT_FALSE(records.ok());
  EXPECT_NE(records.error().message().find("/nonexistent-dir/x/builds.db"), std::string::npos);
}

TEST(BuildRecordsTest, KeepsPhaseStartAndNeeds) {
  auto records = BuildRecords::Open(":memory:");
  ASSERT_TRUE(records.ok()) << records.error().ToString();
  BuildRecord build{.started = 100, .seconds = 3, .built = 2};
  TargetRecord base{"base", "linux/amd64", "k1", "built", 1.0, 10, 1, "sha256:aa"};
  base.phase = 0;
  base.started = 0.25;
  TargetRecord app{"app", "linux/amd64", "k2", "built", 2.0, 20, 2, "sha256:bb"};
  app.phase = 1;
  app.started = 1.5;
  app.needs = {"base@linux/amd64", "odd \"name\"\n"};
  build.targets = {base, app};
  ASSERT_TRUE(records->Add(build).ok());
  auto recent = records->Recent(1);
  ASSERT_TRUE(recent.ok());
  const auto& targets = (*recent)[0].targets;
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].phase, 0);
  EXPECT_EQ(targets[0].started, 0.25);
  EXPECT_TRUE(targets[0].needs.empty());
  EXPECT_EQ(targets[1].phase, 1);
  EXPECT_EQ(targets[1].started, 1.5);
  EXPECT_EQ(targets[1].needs, app.needs);
}

// A store written by the plinth before schema 1 (its exact DDL and rows) opens, keeps its rows
// (the new fields read as "not recorded"), is migrated once, and takes new records.
TEST(BuildRecordsTest, MigratesAStoreWrittenBeforeSchema1) {
  testing::ScratchDir dir;
  std::string path = dir / "builds.db";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* old = R"sql(
CREATE TABLE IF NOT EXISTS builds(
  id INTEGER PRIMARY KEY, started REAL, seconds REAL, plinth_version TEXT,
  built INT, cached INT, failed INT, skipped INT);
CREATE TABLE IF NOT EXISTS targets(
  build_id INT REFERENCES builds(id), target TEXT, platform TEXT, cache_key TEXT,
  outcome TEXT, seconds REAL, size INT, layers INT, image_digest TEXT);
CREATE INDEX IF NOT EXISTS targets_by_build ON targets(build_id);
INSERT INTO builds VALUES(1, 100, 2.5, '0.1.0', 1, 0, 0, 0);
INSERT INTO targets VALUES(1, 'redis', 'linux/amd64', 'k1', 'built', 1.5, 1234, 3, 'sha256:aa');
)sql";
    ASSERT_EQ(sqlite3_exec(db, old, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  for (int round = 0; round < 2; ++round) {  // the second open finds it migrated already
    auto records = BuildRecords::Open(path);
    ASSERT_TRUE(records.ok()) << records.error().ToString();
    if (round == 0) {
      BuildRecord next{.started = 200, .seconds = 1, .cached = 1};
      TargetRecord redis{"redis", "linux/amd64", "k1", "cached", 0.1, 1234, 3, "sha256:aa"};
      redis.phase = 1;
      redis.started = 0.5;
      next.targets = {redis};
      ASSERT_TRUE(records->Add(next).ok());
    }
    auto recent = records->Recent(10);
    ASSERT_TRUE(recent.ok()) << recent.error().ToString();
    ASSERT_EQ(recent->size(), 2u);
    const auto& old_target = (*recent)[1].targets.at(0);
    EXPECT_EQ(old_target.target, "redis");
    EXPECT_EQ(old_target.size, 1234);
    EXPECT_EQ(old_target.phase, -1);
    EXPECT_EQ(old_target.started, -1);
    EXPECT_TRUE(old_target.needs.empty());
    EXPECT_EQ((*recent)[0].targets.at(0).phase, 1);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), kBuildRecordsSchema);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// The previous plinth's INSERTs name their columns, so it can still write to a migrated store.
TEST(BuildRecordsTest, MigratedStoreTakesThePreviousVersionsInserts) {
  testing::ScratchDir dir;
  std::string path = dir / "builds.db";
  ASSERT_TRUE(BuildRecords::Open(path).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db,
                         "INSERT INTO builds(started, seconds, plinth_version, built, cached, "
                         "failed, skipped) VALUES(1, 1, '0.1.0', 1, 0, 0, 0);"
                         "INSERT INTO targets(build_id, target, platform, cache_key, outcome, "
                         "seconds, size, layers, image_digest) "
                         "VALUES(1, 'a', 'linux/amd64', 'k', 'built', 1, 5, 1, 'sha256:cc');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto records = BuildRecords::Open(path);
  ASSERT_TRUE(records.ok());
  auto recent = records->Recent(1);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->at(0).targets.size(), 1u);
  EXPECT_EQ(recent->at(0).targets[0].phase, -1);
  EXPECT_TRUE(recent->at(0).targets[0].needs.empty());
}

}  // namespace
}  // namespace plinth::metrics
