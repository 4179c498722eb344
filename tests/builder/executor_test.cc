#include "builder/executor.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

namespace plinth::builder {
namespace {

using plan::TargetGraph;
using plan::TargetId;

// A runner that records the order targets ran in, fails the ones it is told to, and tracks
// how many ran at once.
class RecordingRunner : public TargetRunner {
 public:
  std::set<std::string> fail;
  const TargetGraph* graph = nullptr;
  std::vector<std::string> order;
  int max_parallel = 0;

  Result<TargetOutcome> Run(TargetId id, const std::atomic<bool>& cancelled) override {
    {
      std::lock_guard lock(mu_);
      order.push_back(graph->node(id).name);
      max_parallel = std::max(max_parallel, ++active_);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::lock_guard lock(mu_);
    --active_;
    if (fail.count(graph->node(id).name)) return Error(ErrorKind::kFailed, "boom");
    return TargetOutcome::kBuilt;
  }

 private:
  std::mutex mu_;
  int active_ = 0;
};

TargetGraph Fleet() {
  TargetGraph g;
  TargetId base = *g.Add("base"), mongo = *g.Add("mongo"), redis = *g.Add("redis");
  TargetId app = *g.Add("app"), admin = *g.Add("admin");
  g.AddNeed(mongo, base, "FROM");
  g.AddNeed(redis, base, "FROM");
  g.AddNeed(admin, app, "phase");
  return g;
}

std::set<TargetId> All(const TargetGraph& g) {
  std::set<TargetId> s;
  for (TargetId i = 0; i < g.size(); ++i) s.insert(i);
  return s;
}

size_t Pos(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) - v.begin();
}

TEST(ExecutorTest, BuildsNeedsFirstAndInParallel) {
  TargetGraph g = Fleet();
  RecordingRunner runner;
  runner.graph = &g;
  Executor executor(g, runner, {.jobs = 2});
  auto results = executor.Run(All(g));
  ASSERT_EQ(results.size(), 5u);
  for (const auto& r : results) EXPECT_EQ(r.outcome, TargetOutcome::kBuilt) << g.node(r.id).name;
  EXPECT_LT(Pos(runner.order, "base"), Pos(runner.order, "mongo"));
  EXPECT_LT(Pos(runner.order, "base"), Pos(runner.order, "redis"));
  EXPECT_LT(Pos(runner.order, "app"), Pos(runner.order, "admin"));
  EXPECT_EQ(runner.max_parallel, 2);
}

TEST(ExecutorTest, KeepGoingBuildsWhatDoesNotDependOnTheFailure) {
  TargetGraph g = Fleet();
  RecordingRunner runner;
  runner.graph = &g;
  runner.fail = {"base"};
  Executor executor(g, runner, {.jobs = 1, .on_failure = FailureMode::kKeepGoing});
  std::map<std::string, TargetResult> by_name;
  for (const auto& r : executor.Run(All(g))) by_name[g.node(r.id).name] = r;
  EXPECT_EQ(by_name["base"].outcome, TargetOutcome::kFailed);
  EXPECT_EQ(by_name["mongo"].outcome, TargetOutcome::kSkipped);
  EXPECT_NE(by_name["mongo"].detail.find("needs base, which was not built"), std::string::npos);
  EXPECT_EQ(by_name["app"].outcome, TargetOutcome::kBuilt);
  EXPECT_EQ(by_name["admin"].outcome, TargetOutcome::kBuilt);
}

TEST(ExecutorTest, StopsStartingTargetsAfterAFailureByDefault) {
  TargetGraph g = Fleet();
  RecordingRunner runner;
  runner.graph = &g;
  runner.fail = {"base"};
  Executor executor(g, runner, {.jobs = 1});
  auto results = executor.Run(All(g));
  EXPECT_EQ(runner.order.size(), 1u);
  int skipped = 0;
  for (const auto& r : results) skipped += r.outcome == TargetOutcome::kSkipped;
  EXPECT_EQ(skipped, 4);
}

TEST(ExecutorTest, CancelStartsNothingNew) {
  TargetGraph g = Fleet();
  RecordingRunner runner;
  runner.graph = &g;
  Executor executor(g, runner, {.jobs = 1});
  executor.Cancel();
  auto results = executor.Run(All(g));
  EXPECT_TRUE(runner.order.empty());
  for (const auto& r : results) EXPECT_EQ(r.outcome, TargetOutcome::kCancelled);
}

}  // namespace
}  // namespace plinth::builder
