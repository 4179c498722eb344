#include "builder/executor.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace plinth::builder {

std::string_view OutcomeName(TargetOutcome outcome) {
  switch (outcome) {
    case TargetOutcome::kBuilt: return "built";
    case TargetOutcome::kCached: return "cached";
    case TargetOutcome::kFailed: return "failed";
    case TargetOutcome::kSkipped: return "skipped";
    case TargetOutcome::kCancelled: return "cancelled";
  }
  return "?";
}

std::vector<TargetResult> Executor::Run(const std::set<plan::TargetId>& selection) {
  std::mutex mu;
  std::condition_variable changed;
  std::map<plan::TargetId, size_t> waiting_on;  // unfinished needs per pending target
  std::map<plan::TargetId, TargetResult> results;
  size_t running = 0;
  bool stop = false;
  // Start times are kept relative to this, for the build report's timeline.
  const auto run_began = std::chrono::steady_clock::now();

  // Ready targets start by remaining cost, largest first; ties by position in graph order.
  const std::vector<double> remaining = graph_.RemainingCost(selection);
  std::vector<size_t> position(graph_.size());
  const auto order = graph_.TopologicalOrder();
  for (size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
  auto first = [&](plan::TargetId a, plan::TargetId b) {
    if (remaining[a] != remaining[b]) return remaining[a] > remaining[b];
    return position[a] < position[b];
  };
  // Ordered by `first`: taking the next ready target is O(log n), whatever the fleet's size.
  std::set<plan::TargetId, decltype(first)> ready(first);
  auto take_next = [&] {
    plan::TargetId id = *ready.begin();
    ready.erase(ready.begin());
    return id;
  };

  // Who needs each selected target (in graph id order), found once rather than by scanning the
  // whole graph each time a target finishes.
  std::vector<std::vector<plan::TargetId>> dependents(graph_.size());
  for (plan::TargetId id : selection) {
    size_t n = 0;
    for (plan::TargetId dep : graph_.node(id).needs) {
      if (!selection.count(dep)) continue;
      ++n;
      dependents[dep].push_back(id);
    }
    waiting_on[id] = n;
    if (n == 0) ready.insert(id);
  }

  // Marks everything downstream of a failed target as skipped (keep-going only).
  std::function<void(plan::TargetId, const std::string&)> skip_dependents =
      [&](plan::TargetId failed, const std::string& root) {
        for (plan::TargetId d : dependents[failed]) {
          if (!selection.count(d) || results.count(d)) continue;
          results[d] = {d, TargetOutcome::kSkipped, "needs " + root + ", which was not built", 0};
          waiting_on.erase(d);
          if (observer_) observer_->OnFinish(results[d]);
          skip_dependents(d, root);
        }
      };

  auto worker = [&] {
    std::unique_lock lock(mu);
    for (;;) {
      changed.wait(lock, [&] { return !ready.empty() || running == 0 || stop || cancelled_; });
      if (cancelled_ || stop || ready.empty()) {
        if (running == 0 || cancelled_ || stop) {
          changed.notify_all();
          return;
        }
        continue;
      }
      plan::TargetId id = take_next();
      waiting_on.erase(id);
      ++running;
      if (observer_) observer_->OnStart(id);
      lock.unlock();
      auto start = std::chrono::steady_clock::now();
      auto outcome = runner_.Run(id, cancelled_);
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      lock.lock();
      --running;
      TargetResult r{id, TargetOutcome::kBuilt, "", seconds,
                     std::chrono::duration<double>(start - run_began).count()};
      if (outcome.ok()) {
        r.outcome = *outcome;
        r.detail = runner_.Note(id);
      } else {
        ErrorKind kind = outcome.error().kind();
        r.outcome = kind == ErrorKind::kCancelled     ? TargetOutcome::kCancelled
                    : kind == ErrorKind::kUnavailable ? TargetOutcome::kSkipped
                                                      : TargetOutcome::kFailed;
        r.detail = outcome.error().ToString();
      }
      results[id] = r;
      if (observer_) observer_->OnFinish(r);
      if (r.outcome == TargetOutcome::kBuilt || r.outcome == TargetOutcome::kCached) {
        for (plan::TargetId d : dependents[id]) {
          auto it = waiting_on.find(d);
          if (it != waiting_on.end() && --it->second == 0) ready.insert(d);
        }
      } else if (options_.on_failure == FailureMode::kKeepGoing ||
                 r.outcome == TargetOutcome::kSkipped) {
        skip_dependents(id, graph_.node(id).name);
      } else {
        stop = true;
      }
      changed.notify_all();
    }
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, options_.jobs); ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();

  std::vector<TargetResult> out;
  for (plan::TargetId id : order) {
    if (!selection.count(id)) continue;
    auto it = results.find(id);
    if (it != results.end()) {
      out.push_back(it->second);
      continue;
    }
    std::string why = cancelled_ ? "interrupted before it started"
                                 : "not started after an earlier failure (use -k to keep going)";
    TargetResult r{id, cancelled_ ? TargetOutcome::kCancelled : TargetOutcome::kSkipped, why, 0};
    if (observer_) observer_->OnFinish(r);
    out.push_back(r);
  }
  return out;
}

}  // namespace plinth::builder
