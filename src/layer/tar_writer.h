// TarWriter: writes tar members, in the order given, to a ByteSink (usually a LayerStream).
// Encoding is deterministic (see tar_header.h): the same entries give the same bytes. The
// writer does not sort, clamp or chown: LayerBuilder decides those; the writer checks that
// names are clean relative paths and that each regular file gets exactly `size` bytes.
// Content streams through in 1 MiB pieces; nothing is held per entry.
#pragma once

#include <sys/stat.h>

#include <string>

#include "layer/tar_entry.h"
#include "util/byte_stream.h"

namespace plinth::layer {

class LayerStream;

class TarWriter {
 public:
  explicit TarWriter(ByteSink& out);

  // Writes the header; for a regular file, exactly entry.size bytes must follow (WriteData).
  Status WriteHeader(const TarEntry& entry);
  Status WriteData(const void* data, size_t size);
  // A whole member: the header, then `content` (regular files; may be null if size is 0).
  Status WriteEntry(const TarEntry& entry, ByteSource* content);
  // A regular file member whose content is the file at `disk_path`; fails if the file's size
  // is no longer entry.size.
  Status WriteFile(const TarEntry& entry, const std::string& disk_path);
  // The end-of-archive marker (two zero blocks). The sink is not finished or closed.
  Status Finish();

  uint64_t bytes_written() const { return written_; }

 private:
  Status Put(const void* data, size_t size);
  Status EndEntry();

  ByteSink& out_;
  LayerStream* stream_;     // out_, when it is a LayerStream: large files are read into it
  std::string current_;     // name of the member whose data is being written
  uint64_t remaining_ = 0;  // data bytes still owed to it
  uint64_t entry_size_ = 0;
  uint64_t written_ = 0;
  bool finished_ = false;
};

// The member a file on disk becomes, by lstat(): regular files, directories, symlinks (target
// read with readlink) and fifos. Sockets and devices are refused with an error naming the path,
// as are names that are not clean relative paths. Owner and mtime are the file's; callers
// override them.
// `st` receives the lstat() result when non-null.
Result<TarEntry> EntryFromDisk(const std::string& disk_path, const std::string& name,
                               struct stat* st = nullptr);

// Checks that `name` can be a member name: relative, no "." or ".." components, no empty
// components, not empty.
Status ValidateMemberName(const std::string& name);

}  // namespace plinth::layer
