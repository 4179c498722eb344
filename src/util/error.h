// Error: a failure as a value. Every error carries a kind (callers branch on it: retry, not
// found, unauthorized, cache miss), a message that reads "doing X: cause" with context added at
// each layer, and optionally where in an input it happened (file:line:col, a reference, a URL).
// Only main() turns an Error into an exit code (2 for bad input, 1 for failed builds/findings).
#pragma once

#include <string>
#include <utility>

namespace plinth {

enum class ErrorKind {
  kInvalidInput,  // the user gave us something malformed: exit 2
  kNotFound,      // a file, blob, image or reference does not exist: exit 2
  kIo,            // the system failed us (disk, permissions): exit 2
  kIntegrity,     // content did not match its digest or signature: exit 2
  kUnauthorized,  // credentials missing or refused
  kRetryable,     // transient (network reset, 5xx, 429); callers may retry
  kCancelled,     // interrupted (Ctrl-C)
  kFailed,        // a build or check ran and failed: exit 1
  kUnavailable,   // an input this machine cannot reach (an upstream image, emulation):
                  // the target is skipped and reported by name, not failed
  kInternal,      // a bug in plinth
};

// Where in an input an error is. Any field may be empty/zero; ToString() prints what is known.
struct Location {
  std::string file;  // a path, an image reference or a URL
  int line = 0;
  int column = 0;

  bool empty() const { return file.empty(); }
  std::string ToString() const;
};

class Error {
 public:
  Error(ErrorKind kind, std::string message, Location location = {})
      : kind_(kind), message_(std::move(message)), location_(std::move(location)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const Location& location() const { return location_; }

  // Returns this error with "doing: " prepended, as errors travel up the layers.
  Error Context(const std::string& doing) const;
  // "file:line:col: message" or just "message".
  std::string ToString() const;
  int ExitCode() const;

 private:
  ErrorKind kind_;
  std::string message_;
  Location location_;
};

inline Error InvalidInput(std::string message, Location location = {}) {
  return Error(ErrorKind::kInvalidInput, std::move(message), std::move(location));
}
inline Error NotFound(std::string message, Location location = {}) {
  return Error(ErrorKind::kNotFound, std::move(message), std::move(location));
}
inline Error IoError(std::string message, Location location = {}) {
  return Error(ErrorKind::kIo, std::move(message), std::move(location));
}
inline Error IntegrityError(std::string message, Location location = {}) {
  return Error(ErrorKind::kIntegrity, std::move(message), std::move(location));
}
inline Error Internal(std::string message) { return Error(ErrorKind::kInternal, std::move(message)); }

// "doing X: strerror(errno)" as an I/O error.
Error ErrnoError(const std::string& doing, int err);

}  // namespace plinth
