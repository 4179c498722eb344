// ByteSink and ByteSource: the two ends of every stream in plinth (tar, compression, hashing,
// blob writes, HTTP bodies). Data moves through them in chunks, never as a whole layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "util/result.h"

namespace plinth {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status Write(const void* data, size_t size) = 0;
  Status Write(std::string_view data) { return Write(data.data(), data.size()); }
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes; returns 0 at end of stream.
  virtual Result<size_t> Read(void* data, size_t size) = 0;
};

// A sink that appends to a string (for small documents and tests).
class StringSink : public ByteSink {
 public:
  Status Write(const void* data, size_t size) override {
    out_.append(static_cast<const char*>(data), size);
    return Ok{};
  }
  using ByteSink::Write;
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

// A source over a string (for small documents and tests).
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(void* data, size_t size) override;

 private:
  std::string data_;
  size_t pos_ = 0;
};

// A source that reads a file descriptor it owns (closed on destruction).
class FileSource : public ByteSource {
 public:
  static Result<FileSource> Open(const std::string& path);
  // For files whose size is part of what is trusted (blobs, documents of a layout someone else
  // wrote): refuses a symlink as the last component and anything but a regular file (a FIFO is
  // not waited on), and yields at most the size the file had when opened, however it grows.
  static Result<FileSource> OpenRegular(const std::string& path);
  // Takes `fd` (opened O_NONBLOCK by the caller, so that a FIFO was not waited on) as
  // OpenRegular would: closed and refused unless it is a regular file; `path` names it in errors.
  static Result<FileSource> AdoptRegular(int fd, std::string path);
  FileSource(FileSource&& other) noexcept
      : fd_(other.fd_), path_(std::move(other.path_)), size_(other.size_), left_(other.left_) {
    other.fd_ = -1;
  }
  ~FileSource() override;
  Result<size_t> Read(void* data, size_t size) override;
  // The size at open (OpenRegular only; 0 otherwise).
  uint64_t size() const { return size_; }

 private:
  FileSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
  uint64_t size_ = 0;
  uint64_t left_ = UINT64_MAX;  // bytes Read may still return
};

// Copies a source to a sink in chunks; returns the number of bytes copied.
Result<uint64_t> CopyStream(ByteSource& from, ByteSink& to);

}  // namespace plinth
