#include "registry/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace plinth::registry {

Status ParallelFor(size_t count, int jobs, const std::function<Status(size_t)>& fn) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  std::optional<Error> first;
  auto worker = [&] {
    for (;;) {
      size_t i = next++;
      if (i >= count || failed) return;
      Status s = fn(i);
      if (!s) {
        std::lock_guard lock(mu);
        if (!first) first = s.error();
        failed = true;
      }
    }
  };
  size_t threads = std::min<size_t>(count, static_cast<size_t>(std::max(jobs, 1)));
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (first) return *first;
  return Ok{};
}

}  // namespace plinth::registry
