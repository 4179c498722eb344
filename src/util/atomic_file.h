// AtomicFile: a file that appears under its final name complete or not at all. Bytes go to a
// temp file in the same directory; Commit() flushes, fsyncs and renames it into place. A
// destructor never publishes: an uncommitted AtomicFile removes its temp file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.h"

namespace plinth {

class AtomicFile {
 public:
  // Opens a temp file next to `path` (the directory must exist).
  static Result<AtomicFile> Create(const std::string& path, int mode = 0644);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile();

  Status Write(const void* data, size_t size);
  Status Write(std::string_view data) { return Write(data.data(), data.size()); }
  // fsync and rename over `path`. After Commit the object is inert.
  Status Commit();
  // The same, onto a path known only at the end (a content-addressed blob's digest).
  Status CommitAs(const std::string& final_path);
  // Removes the temp file now (also what the destructor does).
  void Abandon();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }
  int fd() const { return fd_; }

 private:
  AtomicFile(std::string path, std::string temp_path, int fd)
      : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {}
  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
};

// Writes `data` to `path` through an AtomicFile.
Status WriteFileAtomic(const std::string& path, std::string_view data, int mode = 0644);

}  // namespace plinth
