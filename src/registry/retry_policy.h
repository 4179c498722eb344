// RetryPolicy: how often and how patiently a registry operation is tried again after a
// transient failure (ErrorKind::kRetryable: 429, 5xx, resets, time-outs). Backoff doubles from
// `initial_delay` up to `max_delay`, with jitter so parallel transfers do not retry in step.
// Anything else (unauthorized, not found, integrity) fails at once. `budget` bounds the whole
// operation: no attempt starts once it is spent (or would be, after the next pause), so a
// silent server costs about one budget, not max_attempts time-outs.
#pragma once

#include <chrono>
#include <functional>

#include "util/result.h"

namespace plinth::registry {

struct RetryPolicy {
  int max_attempts = 8;
  std::chrono::milliseconds initial_delay{100};
  std::chrono::milliseconds max_delay{4000};
  std::chrono::milliseconds budget{120000};  // 0: none; see HttpLimits::retry_budget

  // For blob transfers, whose attempts may rightly take long: no budget, only max_attempts
  // (each attempt is still cut off by the HTTP client's low-speed limit when it stalls).
  RetryPolicy WithoutBudget() const {
    RetryPolicy p = *this;
    p.budget = std::chrono::milliseconds(0);
    return p;
  }

  // The pause before attempt `attempt` (1-based; attempt 1 has none).
  std::chrono::milliseconds DelayBefore(int attempt) const;
  static RetryPolicy None() { return RetryPolicy{1, {}, {}, {}}; }
};

// Runs `attempt` until it succeeds, fails with a non-retryable error, or the policy gives up
// (then the last error is returned, its message saying how many attempts were made).
template <typename T>
Result<T> WithRetries(const RetryPolicy& policy, const std::function<Result<T>()>& attempt);

void SleepFor(std::chrono::milliseconds delay);
Error GaveUp(const Error& last, int attempts);
Error OutOfBudget(const Error& last, int attempts, std::chrono::milliseconds budget);

template <typename T>
Result<T> WithRetries(const RetryPolicy& policy, const std::function<Result<T>()>& attempt) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 1;; ++i) {
    Result<T> result = attempt();
    if (result.ok() || result.error().kind() != ErrorKind::kRetryable) return result;
    if (i >= policy.max_attempts) return GaveUp(result.error(), i);
    auto delay = policy.DelayBefore(i + 1);
    if (policy.budget.count() > 0 &&
        std::chrono::steady_clock::now() + delay - start >= policy.budget)
      return OutOfBudget(result.error(), i, policy.budget);
    SleepFor(delay);
  }
}

}  // namespace plinth::registry
