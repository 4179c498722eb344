// Executor: runs a selection of a TargetGraph through a TargetRunner on a pool of worker
// threads, as ninja's Builder runs edges through its CommandRunner. A target becomes ready when
// everything it needs has succeeded; at most `jobs` run at once, and of the ready targets the
// one with the most work left below it starts first (the critical path: the longest chain of
// node costs, TargetGraph::RemainingCost), ties in graph order.
//
// On a failure the executor stops starting new targets, unless keep-going is on, in which case
// it builds everything that does not depend on the failure and skips the rest (with the reason).
// Cancel() (Ctrl-C) lets running targets finish or abort through the runner's cancel flag and
// starts nothing new. The executor itself touches no files: the runner does the work.
#pragma once

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "plan/target_graph.h"
#include "util/result.h"

namespace plinth::builder {

enum class TargetOutcome { kBuilt, kCached, kFailed, kSkipped, kCancelled };

std::string_view OutcomeName(TargetOutcome outcome);

struct TargetResult {
  plan::TargetId id = 0;
  TargetOutcome outcome = TargetOutcome::kSkipped;
  std::string detail;  // error message, or why skipped
  double seconds = 0;
  double started = 0;  // seconds after Run() began that it started (0 if it never ran)
};

// Does the work for one target. Runs on a worker thread; must be thread-safe across targets.
// Returns kBuilt or kCached on success, or an error. `cancelled` turns true on Cancel().
class TargetRunner {
 public:
  virtual ~TargetRunner() = default;
  virtual Result<TargetOutcome> Run(plan::TargetId id, const std::atomic<bool>& cancelled) = 0;
  // After a success: how the target was made, when worth saying (the result's `detail`).
  virtual std::string Note(plan::TargetId id) const { return {}; }
};

// Told of every state change, from worker threads (serialised by the executor).
class ExecutorObserver {
 public:
  virtual ~ExecutorObserver() = default;
  virtual void OnStart(plan::TargetId id) {}
  virtual void OnFinish(const TargetResult& result) {}
};

enum class FailureMode { kStop, kKeepGoing };

struct ExecutorOptions {
  int jobs = 2;
  FailureMode on_failure = FailureMode::kStop;
};

class Executor {
 public:
  Executor(const plan::TargetGraph& graph, TargetRunner& runner, ExecutorOptions options,
           ExecutorObserver* observer = nullptr)
      : graph_(graph), runner_(runner), options_(options), observer_(observer) {}

  // Builds `selection` (which must be closed under needs). One result per selected target.
  std::vector<TargetResult> Run(const std::set<plan::TargetId>& selection);
  // Safe from a signal-handling thread.
  void Cancel() { cancelled_ = true; }

 private:
  const plan::TargetGraph& graph_;
  TargetRunner& runner_;
  ExecutorOptions options_;
  ExecutorObserver* observer_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace plinth::builder
