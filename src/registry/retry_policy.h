// RetryPolicy: how often and how patiently a registry operation is tried again after a
// transient failure (ErrorKind::kRetryable: 429, 5xx, resets, time-outs). Backoff doubles from
// `initial_delay` up to `max_delay`, with jitter so parallel transfers do not retry in step.
// Anything else (unauthorized, not found, integrity) fails at once.
#pragma once

#include <chrono>
#include <functional>

#include "util/result.h"

namespace plinth::registry {

struct RetryPolicy {
  int max_attempts = 8;
  std::chrono::milliseconds initial_delay{100};
  std::chrono::milliseconds max_delay{4000};

  // The pause before attempt `attempt` (1-based; attempt 1 has none).
  std::chrono::milliseconds DelayBefore(int attempt) const;
  static RetryPolicy None() { return RetryPolicy{1, {}, {}}; }
};

// Runs `attempt` until it succeeds, fails with a non-retryable error, or the policy gives up
// (then the last error is returned, its message saying how many attempts were made).
template <typename T>
Result<T> WithRetries(const RetryPolicy& policy, const std::function<Result<T>()>& attempt);

void SleepFor(std::chrono::milliseconds delay);
Error GaveUp(const Error& last, int attempts);

template <typename T>
Result<T> WithRetries(const RetryPolicy& policy, const std::function<Result<T>()>& attempt) {
  for (int i = 1;; ++i) {
    if (i > 1) SleepFor(policy.DelayBefore(i));
    Result<T> result = attempt();
    if (result.ok() || result.error().kind() != ErrorKind::kRetryable) return result;
    if (i >= policy.max_attempts) return GaveUp(result.error(), i);
  }
}

}  // namespace plinth::registry
