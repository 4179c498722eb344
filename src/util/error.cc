#include "util/error.h"

#include <cstring>

namespace plinth {

std::string Location::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  return out;
}

Error Error::Context(const std::string& doing) const {
  return Error(kind_, doing + ": " + message_, location_);
}

std::string Error::ToString() const {
  if (location_.empty()) return message_;
  return location_.ToString() + ": " + message_;
}

int Error::ExitCode() const { return kind_ == ErrorKind::kFailed ? 1 : 2; }

Error ErrnoError(const std::string& doing, int err) {
  return Error(err == ENOENT ? ErrorKind::kNotFound : ErrorKind::kIo,
               doing + ": " + std::strerror(err));
}

}  // namespace plinth
