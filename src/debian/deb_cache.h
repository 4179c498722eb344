// DebCache: downloaded .deb files, content-addressed by their sha256 so that every build that
// pins the same package reads the same bytes, whatever suite or mirror it came from.
//
//   DIR/sha256/<hex>.deb     a verified package
//   DIR/tmp/                 downloads in progress (same filesystem: adoption is a rename)
//   DIR/lock                 flock, held by the one process that downloads into tmp/ and
//                            adopts; the kernel releases it when that process dies
//
// A file enters the cache only after its sha256 matched the one the signed index gave, and
// after its bytes reached the disk, so a name under sha256/ always holds those bytes; Verify()
// checks that they still do. Several processes may share one cache: readers need no lock
// (adoption is an atomic rename), writers take the lock and look again for what they miss.
#pragma once

#include <string>

#include "util/file_lock.h"
#include "util/result.h"

namespace plinth::debian {

class DebCache {
 public:
  static Result<DebCache> Open(const std::string& dir);

  const std::string& dir() const { return dir_; }
  std::string tmp_dir() const { return dir_ + "/tmp"; }
  std::string PathFor(const std::string& sha256) const;
  bool Has(const std::string& sha256) const;

  // Takes the writers' lock (waiting for another process's download to finish) and removes
  // what a writer that was killed left in tmp/: while the lock is held, nothing else writes
  // there.
  Result<FileLock> LockForWriting() const;

  // Hashes `file` and, if it matches `sha256`, makes it durable and moves it into the cache. On
  // a mismatch the file is removed and the error names `package`. Call with the lock held.
  Status Adopt(const std::string& file, const std::string& sha256, const std::string& package) const;

  // Hashes every cached package; an integrity error names each file whose content does not
  // match its name. Returns how many packages were checked.
  Result<size_t> Verify() const;

 private:
  explicit DebCache(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

// The sha256 hex of a file's content, streamed.
Result<std::string> HashFile(const std::string& path);

}  // namespace plinth::debian
