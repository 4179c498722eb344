#include "registry/retry_policy.h"

#include <algorithm>
#include <random>
#include <thread>

namespace plinth::registry {

std::chrono::milliseconds RetryPolicy::DelayBefore(int attempt) const {
  if (attempt <= 1) return std::chrono::milliseconds(0);
  auto base = initial_delay.count() << std::min(attempt - 2, 16);
  base = std::min<long long>(base, max_delay.count());
  thread_local std::minstd_rand rng(std::random_device{}());
  // Full jitter between half and all of the backoff.
  auto jitter = std::uniform_int_distribution<long long>(base / 2, std::max<long long>(base, 1))(rng);
  return std::chrono::milliseconds(jitter);
}

void SleepFor(std::chrono::milliseconds delay) {
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
}

Error GaveUp(const Error& last, int attempts) {
  if (attempts <= 1) return last;
  return Error(last.kind(), last.message() + " (gave up after " + std::to_string(attempts) +
                                " attempts)",
               last.location());
}

Error OutOfBudget(const Error& last, int attempts, std::chrono::milliseconds budget) {
  return Error(last.kind(),
               last.message() + " (gave up after " + std::to_string(attempts) + " attempt" +
                   (attempts == 1 ? "" : "s") + ": the retry budget of " +
                   std::to_string((budget.count() + 999) / 1000) +
                   " s is spent; PLINTH_REGISTRY_RETRY_BUDGET sets it)",
               last.location());
}

}  // namespace plinth::registry
