#include "metrics/build_report.h"

#include <gtest/gtest.h>

#include "metrics/build_records.h"
#include "metrics/report_json.h"

namespace plinth::metrics {
namespace {

TargetRecord Target(std::string name, std::string outcome, double seconds, int64_t size,
                    int phase, double started, std::vector<std::string> needs = {}) {
  TargetRecord t{std::move(name), "linux/amd64", "key", std::move(outcome), seconds, size, 1,
                 "sha256:00"};
  t.phase = phase;
  t.started = started;
  t.needs = std::move(needs);
  return t;
}

// Three builds of base ← app, written to and read back from an in-memory store: the report is
// computed from what the records return, as `plinth report` does.
std::vector<BuildRecord> ThreeBuilds() {
  auto records = BuildRecords::Open(":memory:");
  EXPECT_TRUE(records.ok());
  BuildRecord first{.started = 1000, .seconds = 5, .built = 3};
  first.targets = {Target("base", "built", 2.0, 1000, 0, 0.0),
                   Target("app", "built", 3.0, 5000, 1, 2.0, {"base@linux/amd64"}),
                   Target("tool", "built", 4.0, 300, 0, 0.0)};
  BuildRecord second{.started = 2000, .seconds = 1, .cached = 3};
  second.targets = {Target("base", "cached", 0.1, 1000, 0, 0.0),
                    Target("app", "cached", 0.1, 5000, 1, 0.1, {"base@linux/amd64"}),
                    Target("tool", "cached", 0.2, 300, 0, 0.0)};
  BuildRecord third{.started = 3000, .seconds = 4, .built = 2, .cached = 1};
  third.targets = {Target("base", "built", 1.0, 1200, 0, 0.0),
                   Target("app", "built", 2.5, 5500, 1, 1.0, {"base@linux/amd64"}),
                   Target("tool", "cached", 0.3, 300, 0, 0.0)};
  for (const auto& b : {first, second, third}) EXPECT_TRUE(records->Add(b).ok());
  auto recent = records->Recent(10);
  EXPECT_TRUE(recent.ok());
  return *recent;
}

TEST(BuildReportTest, PerImageTimesSizesAndCacheHits) {
  auto report = MakeBuildReport(ThreeBuilds(), {});
  ASSERT_EQ(report.builds.size(), 3u);
  EXPECT_EQ(report.builds.front().started, 1000);  // oldest first
  ASSERT_EQ(report.images.size(), 3u);
  const auto& app = report.images[0];  // by name: app, base, tool
  EXPECT_EQ(app.target, "app");
  ASSERT_EQ(app.history.size(), 3u);
  EXPECT_EQ(app.attempts, 3);
  EXPECT_EQ(app.cache_hits, 1);
  EXPECT_DOUBLE_EQ(app.hit_rate, 1.0 / 3);
  EXPECT_DOUBLE_EQ(app.last_seconds, 2.5);
  EXPECT_DOUBLE_EQ(app.mean_built_seconds, (3.0 + 2.5) / 2);
  EXPECT_EQ(app.size, 5500);
  EXPECT_EQ(app.size_change, 500);
  const auto& tool = report.images[2];
  EXPECT_EQ(tool.cache_hits, 2);
  EXPECT_DOUBLE_EQ(tool.mean_built_seconds, 4.0);
  EXPECT_EQ(tool.size_change, 0);
}

TEST(BuildReportTest, CriticalPathFollowsRecordedNeeds) {
  auto report = MakeBuildReport(ThreeBuilds(), {});
  ASSERT_TRUE(report.last_build.has_value());
  // In the last build base (1.0) then app (2.5) is 3.5s; tool alone is 0.3s.
  EXPECT_EQ(report.critical_path,
            (std::vector<std::string>{"base@linux/amd64", "app@linux/amd64"}));
  EXPECT_DOUBLE_EQ(report.critical_seconds, 3.5);
  ASSERT_EQ(report.timeline.size(), 3u);
  EXPECT_EQ(report.timeline[0].name, "base@linux/amd64");  // by start, then name
  EXPECT_EQ(report.timeline[1].name, "tool@linux/amd64");
  EXPECT_EQ(report.timeline[2].name, "app@linux/amd64");
  EXPECT_TRUE(report.timeline[0].critical);
  EXPECT_FALSE(report.timeline[1].critical);
  EXPECT_DOUBLE_EQ(report.timeline[2].start, 1.0);
}

TEST(BuildReportTest, TimePerPhaseOfTheLastBuild) {
  auto report = MakeBuildReport(ThreeBuilds(), {});
  ASSERT_EQ(report.phases.size(), 2u);
  EXPECT_EQ(report.phases[0].phase, 0);
  EXPECT_EQ(report.phases[0].targets, 2);
  EXPECT_DOUBLE_EQ(report.phases[0].seconds, 1.0 + 0.3);
  EXPECT_EQ(report.phases[1].phase, 1);
  EXPECT_DOUBLE_EQ(report.phases[1].seconds, 2.5);
}

TEST(BuildReportTest, SizeAgainstTheTiersBudget) {
  ReportOptions options;
  options.budgets["app"] = {"apps", 5200};
  options.budgets["base"] = {"bases", 2000};
  auto report = MakeBuildReport(ThreeBuilds(), options);
  EXPECT_TRUE(report.images[0].over_budget);
  EXPECT_EQ(report.images[0].budget->tier, "apps");
  EXPECT_FALSE(report.images[1].over_budget);
  EXPECT_FALSE(report.images[2].budget.has_value());
  EXPECT_FALSE(report.images[2].over_budget);
}

TEST(BuildReportTest, OnlyTheNamedTargets) {
  ReportOptions options;
  options.targets = {"tool"};
  auto report = MakeBuildReport(ThreeBuilds(), options);
  ASSERT_EQ(report.images.size(), 1u);
  EXPECT_EQ(report.images[0].target, "tool");
  EXPECT_EQ(report.critical_path, std::vector<std::string>{"tool@linux/amd64"});
  ASSERT_EQ(report.timeline.size(), 1u);
}

// Builds recorded before schema 1 have no phase, start or needs: each target is its own chain.
TEST(BuildReportTest, RecordsWithoutTimelineStillReport) {
  BuildRecord old{.id = 1, .started = 10, .seconds = 3, .built = 2};
  old.targets = {Target("a", "built", 1.0, 10, -1, -1), Target("b", "built", 2.0, 20, -1, -1)};
  auto report = MakeBuildReport({old}, {});
  EXPECT_EQ(report.critical_path, std::vector<std::string>{"b@linux/amd64"});
  ASSERT_EQ(report.phases.size(), 1u);
  EXPECT_EQ(report.phases[0].phase, -1);
  EXPECT_EQ(report.timeline[0].start, 0);
}

// Hand-edited records may hold a cycle of needs; the report still ends.
TEST(BuildReportTest, CycleInRecordedNeedsEnds) {
  BuildRecord b{.id = 1};
  b.targets = {Target("a", "built", 1.0, 10, 0, 0, {"b@linux/amd64"}),
               Target("b", "built", 2.0, 20, 0, 0, {"a@linux/amd64"})};
  auto report = MakeBuildReport({b}, {});
  EXPECT_FALSE(report.critical_path.empty());
  EXPECT_LE(report.critical_seconds, 3.0);
}

TEST(BuildReportTest, NoRecordsNoLastBuild) {
  auto report = MakeBuildReport({}, {});
  EXPECT_FALSE(report.last_build.has_value());
  EXPECT_TRUE(report.images.empty());
  EXPECT_TRUE(ReportJson(report)["last_build"].is_null());
}

TEST(BuildReportTest, JsonCarriesTheNumbers) {
  ReportOptions options;
  options.budgets["app"] = {"apps", 5200};
  auto json = ReportJson(MakeBuildReport(ThreeBuilds(), options));
  EXPECT_EQ(json["builds"].size(), 3u);
  EXPECT_EQ(json["images"][0]["target"], "app");
  EXPECT_EQ(json["images"][0]["size"], 5500);
  EXPECT_EQ(json["images"][0]["cache_hits"], 1);
  EXPECT_EQ(json["images"][0]["budget"]["bytes"], 5200);
  EXPECT_EQ(json["images"][0]["over_budget"], true);
  EXPECT_EQ(json["images"][0]["history"].size(), 3u);
  EXPECT_EQ(json["last_build"]["critical_path"][1], "app@linux/amd64");
  EXPECT_EQ(json["last_build"]["phases"][1]["phase"], 1);
}

}  // namespace
}  // namespace plinth::metrics
