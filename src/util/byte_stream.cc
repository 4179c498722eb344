#include "util/byte_stream.h"

#include <fcntl.h>
#include <unistd.h>

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

FileSource::~FileSource() {
  if (fd_ >= 0) close(fd_);
}

Result<size_t> FileSource::Read(void* data, size_t size) {
  for (;;) {
    ssize_t n = ::read(fd_, data, size);
    if (n >= 0) return static_cast<size_t>(n);
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
