// FileSink: a ByteSink over a file it creates (truncating), with large buffered writes. For
// tests, benchmarks and exports; blobs in the store go through the store's own atomic writer.
#pragma once

#include <string>
#include <vector>

#include "util/byte_stream.h"

namespace plinth::layer {

class FileSink : public ByteSink {
 public:
  static Result<FileSink> Create(const std::string& path, int mode = 0644);
  FileSink(FileSink&& other) noexcept;
  FileSink& operator=(FileSink&&) = delete;
  ~FileSink() override;

  using ByteSink::Write;
  Status Write(const void* data, size_t size) override;
  // Flushes the buffer and closes the file, reporting any write error.
  Status Close();

 private:
  FileSink(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status Flush();
  int fd_ = -1;
  std::string path_;
  std::string buffer_;
};

}  // namespace plinth::layer
