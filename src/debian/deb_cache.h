// DebCache: downloaded .deb files, content-addressed by their sha256 so that every build that
// pins the same package reads the same bytes, whatever suite or mirror it came from.
//
//   DIR/sha256/<hex>.deb     a verified package
//   DIR/tmp/                 downloads in progress (same filesystem: adoption is a rename)
//
// A file enters the cache only after its sha256 matched the one the signed index gave.
#pragma once

#include <string>

#include "util/result.h"

namespace plinth::debian {

class DebCache {
 public:
  static Result<DebCache> Open(const std::string& dir);

  const std::string& dir() const { return dir_; }
  std::string tmp_dir() const { return dir_ + "/tmp"; }
  std::string PathFor(const std::string& sha256) const;
  bool Has(const std::string& sha256) const;

  // Hashes `file` and, if it matches `sha256`, moves it into the cache. On a mismatch the file
  // is removed and the error names `package`.
  Status Adopt(const std::string& file, const std::string& sha256, const std::string& package) const;

 private:
  explicit DebCache(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

// The sha256 hex of a file's content, streamed.
Result<std::string> HashFile(const std::string& path);

}  // namespace plinth::debian
