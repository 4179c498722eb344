#include "util/byte_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace plinth {

Result<size_t> StringSource::Read(void* data, size_t size) {
  size_t n = std::min(size, data_.size() - pos_);
  std::memcpy(data, data_.data() + pos_, n);
  pos_ += n;
  return n;
}

Result<FileSource> FileSource::Open(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("opening " + path, errno);
  return FileSource(fd, path);
}

Result<FileSource> FileSource::OpenRegular(const std::string& path) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ELOOP) return IntegrityError("refusing " + path + ": it is a symlink");
    return ErrnoError("opening " + path, errno);
  }
  return AdoptRegular(fd, path);
}

Result<FileSource> FileSource::AdoptRegular(int fd, std::string path) {
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return ErrnoError("inspecting " + path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return IntegrityError("refusing " + path + ": it is not a regular file");
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  FileSource source(fd, std::move(path));
  source.size_ = static_cast<uint64_t>(st.st_size);
  source.left_ = source.size_;
  return source;
}

FileSource::~FileSource() {
  if (fd_ >= 0) close(fd_);
}

Result<size_t> FileSource::Read(void* data, size_t size) {
  size = static_cast<size_t>(std::min<uint64_t>(size, left_));
  if (size == 0) return size_t{0};
  for (;;) {
    ssize_t n = ::read(fd_, data, size);
    if (n >= 0) {
      if (left_ != UINT64_MAX) left_ -= static_cast<uint64_t>(n);
      return static_cast<size_t>(n);
    }
    if (errno != EINTR) return ErrnoError("reading " + path_, errno);
  }
}

Result<uint64_t> CopyStream(ByteSource& from, ByteSink& to) {
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  for (;;) {
    PLINTH_TRY(size_t n, from.Read(buf.data(), buf.size()));
    if (n == 0) return total;
    PLINTH_CHECK(to.Write(buf.data(), n));
    total += n;
  }
}

}  // namespace plinth
