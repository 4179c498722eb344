// Small filesystem helpers that return errors as values instead of throwing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/byte_stream.h"
#include "util/result.h"

namespace plinth {

Result<std::string> ReadFile(const std::string& path);
// ReadFile for inputs that may be hostile: a regular file (symlinks followed) of at most
// `max_bytes`, else an error (kInvalidInput) at Location{path} saying which limit, read no
// further than one byte past it (a link to /dev/zero or a FIFO is refused, not read forever).
Result<std::string> ReadFileAtMost(const std::string& path, uint64_t max_bytes);
// The content of `file` (opened as a regular file, FileSource::OpenRegular or AdoptRegular), or
// the same error as ReadFileAtMost, at Location{name}, when it is over `max_bytes`.
Result<std::string> ReadAtMost(FileSource& file, uint64_t max_bytes, const std::string& name);
// mkdir -p -m MODE: every folder it creates gets `mode` (less the umask, as mkdir(2) applies
// it); folders that exist are left as they are. A component that exists and is not a folder
// is an error.
Status MakeDirs(const std::string& path, int mode = 0755);
// mkdir -m 0700, or chmod 0700 of the folder that is there (a store made by an older plinth may
// have it 0755): for folders of unpacked image files, which no other user may reach. A path
// that exists and is not a folder (a symlink included) is an error.
Status MakePrivateDir(const std::string& path);
bool PathExists(const std::string& path);
bool IsDirectory(const std::string& path);
// Removes a file or a whole tree; a missing path is not an error.
Status RemoveAll(const std::string& path);

// A fresh directory $TMPDIR/PREFIX.XXXXXX (or under /tmp) that is removed with the object. The
// object holds an flock on the directory for its lifetime, so a process that was killed
// leaves a directory nobody holds, which RemoveAbandonedTempDirs can tell from one in use.
class TempDir {
 public:
  static Result<TempDir> Create(std::string_view prefix = "plinth");
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) {
    other.path_.clear();
    other.fd_ = -1;
  }
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  TempDir(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;  // the directory, flock'ed
};

// Removes the directories TempDir::Create(prefix) made under $TMPDIR (or /tmp), for each of
// `prefixes`, that belong to this user and that no TempDir holds: leftovers of killed runs.
// Returns how many there were (removed unless `dry_run`).
Result<int> RemoveAbandonedTempDirs(const std::vector<std::string>& prefixes, bool dry_run);

}  // namespace plinth
