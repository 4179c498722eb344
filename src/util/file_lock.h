// FileLock: an exclusive advisory lock (flock) on a lock file, held for the object's lifetime.
// Two plinth processes that update the same index serialise through it.
#pragma once

#include <string>

#include "util/result.h"

namespace plinth {

class FileLock {
 public:
  enum class Mode { kExclusive, kShared };
  // Blocks until the lock on `path` (created if missing) is held.
  static Result<FileLock> Acquire(const std::string& path, Mode mode = Mode::kExclusive);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace plinth
