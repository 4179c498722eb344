#include "builder/executor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

namespace plinth::builder {
namespace {

using plan::TargetGraph;
using plan::TargetId;

// A latch whose wait gives up after a deadline (so a broken executor fails the test instead of
// hanging it); the deadline orders nothing.
class Latch {
 public:
  explicit Latch(int count) : count_(count) {}
  // Counts down and waits for the count to reach zero; false if it did not within a minute.
  bool ArriveAndWait() {
    std::unique_lock lock(mu_);
    if (--count_ <= 0) changed_.notify_all();
    return changed_.wait_for(lock, std::chrono::minutes(1), [&] { return count_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  int count_;
};

// A runner that records the order targets started in and fails the ones it is told to. With a
// latch, the targets in `meet` wait inside Run until all of them are running at once.
class RecordingRunner : public TargetRunner {
 public:
  std::set<std::string> fail;
  std::set<std::string> meet;
  Latch* latch = nullptr;
  const TargetGraph* graph = nullptr;
  std::vector<std::string> order;
  bool met = true;

  Result<TargetOutcome> Run(TargetId id, const std::atomic<bool>& cancelled) override {
    const std::string& name = graph->node(id).name;
    {
      std::lock_guard lock(mu_);
      order.push_back(name);
    }
    if (latch && meet.count(name) && !latch->ArriveAndWait()) {
      std::lock_guard lock(mu_);
      met = false;
    }
    if (fail.count(name)) return Error(ErrorKind::kFailed, "boom");
    return TargetOutcome::kBuilt;
  }

 private:
  std::mutex mu_;
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
  // base and app are ready together: each waits in Run until the other runs too.
  Latch both(2);
  runner.latch = &both;
  runner.meet = {"base", "app"};
  Executor executor(g, runner, {.jobs = 2});
  auto results = executor.Run(All(g));
  ASSERT_EQ(results.size(), 5u);
  for (const auto& r : results) EXPECT_EQ(r.outcome, TargetOutcome::kBuilt) << g.node(r.id).name;
  EXPECT_LT(Pos(runner.order, "base"), Pos(runner.order, "mongo"));
  EXPECT_LT(Pos(runner.order, "base"), Pos(runner.order, "redis"));
  EXPECT_LT(Pos(runner.order, "app"), Pos(runner.order, "admin"));
  EXPECT_TRUE(runner.met) << "base and app never ran at the same time";
}

// Each result says when its target started, after Run began: never before its needs ended (the
// build report's timeline is drawn from these).
TEST(ExecutorTest, ResultsSayWhenEachTargetStarted) {
  TargetGraph g = Fleet();
  RecordingRunner runner;
  runner.graph = &g;
  Executor executor(g, runner, {.jobs = 2});
  auto results = executor.Run(All(g));
  ASSERT_EQ(results.size(), 5u);
  std::map<TargetId, TargetResult> by_id;
  for (const auto& r : results) by_id[r.id] = r;
  for (const auto& r : results) {
    EXPECT_GE(r.started, 0) << g.node(r.id).name;
    for (TargetId need : g.node(r.id).needs)
      EXPECT_GE(r.started + 1e-9, by_id[need].started + by_id[need].seconds)
          << g.node(r.id).name << " started before " << g.node(need).name << " ended";
  }
}

TEST(ExecutorTest, StartsTheLongestRemainingChainFirst) {
  // `quick` is ready first in graph order, but base → service is the longer chain.
  TargetGraph g;
  TargetId quick = *g.Add("quick", 2), base = *g.Add("base", 1), service = *g.Add("service", 5);
  (void)quick;
  g.AddNeed(service, base, "FROM");
  RecordingRunner runner;
  runner.graph = &g;
  Executor executor(g, runner, {.jobs = 1});
  executor.Run(All(g));
  EXPECT_EQ(runner.order, (std::vector<std::string>{"base", "service", "quick"}));
  // With last build's durations the other way round, the order follows them.
  g.node(quick).cost = 10;
  RecordingRunner again;
  again.graph = &g;
  Executor second(g, again, {.jobs = 1});
  second.Run(All(g));
  EXPECT_EQ(again.order, (std::vector<std::string>{"quick", "base", "service"}));
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

// Checks, as targets run, that each runs once and only after everything it needs has finished.
class CheckingRunner : public TargetRunner {
 public:
  explicit CheckingRunner(const TargetGraph& graph)
      : graph_(graph), runs_(graph.size(), 0), finished_(graph.size(), false) {}
  std::set<std::string> fail;
  std::vector<std::string> problems;

  Result<TargetOutcome> Run(TargetId id, const std::atomic<bool>& cancelled) override {
    std::lock_guard lock(mu_);
    if (++runs_[id] > 1) problems.push_back(graph_.node(id).name + " ran twice");
    for (TargetId need : graph_.node(id).needs)
      if (!finished_[need])
        problems.push_back(graph_.node(id).name + " started before " + graph_.node(need).name);
    finished_[id] = true;
    if (fail.count(graph_.node(id).name)) return Error(ErrorKind::kFailed, "boom");
    return TargetOutcome::kBuilt;
  }
  int runs(TargetId id) const { return runs_[id]; }

 private:
  const TargetGraph& graph_;
  std::mutex mu_;
  std::vector<int> runs_;
  std::vector<bool> finished_;
};

// 20 bases, 4000 services on them (round robin), 1000 apps each needing two services.
TargetGraph LargeFleet() {
  TargetGraph g;
  std::vector<TargetId> bases, services;
  for (int i = 0; i < 20; ++i) bases.push_back(*g.Add("base-" + std::to_string(i)));
  for (int i = 0; i < 4000; ++i) {
    services.push_back(*g.Add("svc-" + std::to_string(i)));
    g.AddNeed(services.back(), bases[i % 20], "FROM");
  }
  for (int i = 0; i < 1000; ++i) {
    TargetId app = *g.Add("app-" + std::to_string(i));
    g.AddNeed(app, services[2 * i], "needs");
    g.AddNeed(app, services[2 * i + 1], "needs");
  }
  return g;
}

TEST(ExecutorTest, RunsAFleetOfThousandsEachTargetOnceAfterItsNeeds) {
  TargetGraph g = LargeFleet();
  CheckingRunner runner(g);
  Executor executor(g, runner, {.jobs = 2});
  auto results = executor.Run(All(g));
  ASSERT_EQ(results.size(), g.size());
  for (const auto& r : results) ASSERT_EQ(r.outcome, TargetOutcome::kBuilt) << g.node(r.id).name;
  for (TargetId id = 0; id < g.size(); ++id) ASSERT_EQ(runner.runs(id), 1) << g.node(id).name;
  EXPECT_TRUE(runner.problems.empty()) << runner.problems.front();
}

TEST(ExecutorTest, RunsOnlyTheSelectionOfAFleetOfThousands) {
  TargetGraph g = LargeFleet();
  CheckingRunner runner(g);
  std::set<TargetId> selection = g.Closure({*g.Find("app-7"), *g.Find("svc-3999")});
  Executor executor(g, runner, {.jobs = 2});
  auto results = executor.Run(selection);
  std::set<std::string> ran;
  for (const auto& r : results) {
    EXPECT_EQ(r.outcome, TargetOutcome::kBuilt);
    ran.insert(g.node(r.id).name);
  }
  // app-7 needs svc-14 and svc-15 (on base-14, base-15); svc-3999 is on base-19.
  EXPECT_EQ(ran, (std::set<std::string>{"app-7", "svc-14", "svc-15", "base-14", "base-15",
                                        "svc-3999", "base-19"}));
  EXPECT_TRUE(runner.problems.empty()) << runner.problems.front();
}

TEST(ExecutorTest, KeepGoingInAFleetOfThousandsSkipsExactlyWhatNeedsTheFailure) {
  TargetGraph g = LargeFleet();
  CheckingRunner runner(g);
  runner.fail = {"base-3"};
  Executor executor(g, runner, {.jobs = 2, .on_failure = FailureMode::kKeepGoing});
  auto results = executor.Run(All(g));
  ASSERT_EQ(results.size(), g.size());
  size_t built = 0, skipped = 0;
  for (const auto& r : results) {
    const std::string& name = g.node(r.id).name;
    // svc-i is on base-(i % 20); app-i needs svc-2i and svc-2i+1, so apps 1, 11, 21, … lose
    // one of theirs (svc-3, svc-23, svc-43, …) to base-3.
    bool below = false;
    if (name.starts_with("svc-")) below = std::stoi(name.substr(4)) % 20 == 3;
    if (name.starts_with("app-")) {
      int i = std::stoi(name.substr(4));
      below = (2 * i) % 20 == 3 || (2 * i + 1) % 20 == 3;
    }
    if (name == "base-3") {
      EXPECT_EQ(r.outcome, TargetOutcome::kFailed);
    } else if (below) {
      ASSERT_EQ(r.outcome, TargetOutcome::kSkipped) << name;
      EXPECT_EQ(r.detail, "needs base-3, which was not built");
      EXPECT_EQ(runner.runs(r.id), 0) << name;
      ++skipped;
    } else {
      ASSERT_EQ(r.outcome, TargetOutcome::kBuilt) << name;
      ++built;
    }
  }
  EXPECT_EQ(skipped, 200u + 100u);
  EXPECT_EQ(built, g.size() - 1 - skipped);
  EXPECT_TRUE(runner.problems.empty()) << runner.problems.front();
}

}  // namespace
}  // namespace plinth::builder
