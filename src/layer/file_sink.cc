#include "layer/file_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace plinth::layer {
namespace {
constexpr size_t kBufferSize = 1 << 20;
}

Result<FileSink> FileSink::Create(const std::string& path, int mode) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return ErrnoError("creating " + path, errno);
  return FileSink(fd, path);
}

FileSink::FileSink(FileSink&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), buffer_(std::move(other.buffer_)) {
  other.fd_ = -1;
}

FileSink::~FileSink() {
  if (fd_ >= 0) (void)Close();
}

Status FileSink::Write(const void* data, size_t size) {
  if (fd_ < 0) return Internal("writing to closed file " + path_);
  if (buffer_.size() + size > kBufferSize) PLINTH_CHECK(Flush());
  if (size >= kBufferSize) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      ssize_t n = ::write(fd_, p, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return ErrnoError("writing " + path_, errno);
      p += n;
      size -= static_cast<size_t>(n);
    }
    return Ok{};
  }
  buffer_.append(static_cast<const char*>(data), size);
  return Ok{};
}

Status FileSink::Flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("writing " + path_, errno);
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  return Ok{};
}

Status FileSink::Close() {
  if (fd_ < 0) return Ok{};
  Status flushed = Flush();
  int rc = ::close(fd_);
  fd_ = -1;
  if (!flushed) return flushed;
  if (rc != 0) return ErrnoError("closing " + path_, errno);
  return Ok{};
}

}  // namespace plinth::layer
