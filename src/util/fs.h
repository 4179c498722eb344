// Small filesystem helpers that return errors as values instead of throwing.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace plinth {

Result<std::string> ReadFile(const std::string& path);
Status MakeDirs(const std::string& path, int mode = 0755);
bool PathExists(const std::string& path);
bool IsDirectory(const std::string& path);
// Removes a file or a whole tree; a missing path is not an error.
Status RemoveAll(const std::string& path);

// A fresh directory under $TMPDIR (or /tmp) that is removed with the object.
class TempDir {
 public:
  static Result<TempDir> Create(std::string_view prefix = "plinth");
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace plinth
