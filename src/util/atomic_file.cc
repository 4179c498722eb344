#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

namespace plinth {

Result<AtomicFile> AtomicFile::Create(const std::string& path, int mode) {
  std::string templ = path + ".tmp.XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  int fd = mkstemp(buf.data());
  if (fd < 0) return ErrnoError("creating a temp file for " + path, errno);
  fchmod(fd, mode & ~0u);
  return AtomicFile(path, std::string(buf.data()), fd);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)), temp_path_(std::move(other.temp_path_)), fd_(other.fd_) {
  other.fd_ = -1;
  other.temp_path_.clear();
}

AtomicFile::~AtomicFile() { Abandon(); }

void AtomicFile::Abandon() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  if (!temp_path_.empty()) unlink(temp_path_.c_str());
  temp_path_.clear();
}

Status AtomicFile::Write(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("writing " + temp_path_, errno);
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return Ok{};
}

Status AtomicFile::Commit() { return CommitAs(path_); }

Status AtomicFile::CommitAs(const std::string& final_path) {
  if (fd_ < 0) return Internal("AtomicFile committed twice: " + path_);
  if (fsync(fd_) != 0) return ErrnoError("syncing " + temp_path_, errno);
  if (close(fd_) != 0) {
    fd_ = -1;
    return ErrnoError("closing " + temp_path_, errno);
  }
  fd_ = -1;
  if (rename(temp_path_.c_str(), final_path.c_str()) != 0)
    return ErrnoError("renaming to " + final_path, errno);
  temp_path_.clear();
  return Ok{};
}

Status WriteFileAtomic(const std::string& path, std::string_view data, int mode) {
  PLINTH_TRY(AtomicFile file, AtomicFile::Create(path, mode));
  PLINTH_CHECK(file.Write(data));
  return file.Commit();
}

}  // namespace plinth
