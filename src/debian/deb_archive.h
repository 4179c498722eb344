// DebArchive: reads a .deb (an ar archive: debian-binary, control.tar.*, data.tar.*) without
// dpkg. The ar members are located once; control.tar and data.tar are then streamed through
// libarchive straight from their byte ranges in the file, whatever their compression (gzip,
// xz, zstd, bzip2 or none). Nothing is extracted to disk here; callers see entries and their
// content as streams. A malformed archive is an error naming the file, never a partial result.
//
//   deb      := "!<arch>\n" member+
//   member   := header(60 bytes: name[16] mtime[12] uid[6] gid[6] mode[8] size[10] "`\n")
//               data[size] ["\n" if size is odd]
#pragma once

#include <functional>
#include <string>

#include "debian/tar_entry.h"
#include "util/byte_stream.h"
#include "util/result.h"

namespace plinth::debian {

struct DebControl {
  std::string control;  // the control file (deb822, one paragraph)
  std::string md5sums;  // may be empty
  std::string conffiles;
};

class DebArchive {
 public:
  static Result<DebArchive> Open(const std::string& path);

  const std::string& path() const { return path_; }
  const std::string& data_member() const { return data_name_; }

  Result<DebControl> ReadControl() const;

  // Calls `visit` for each data.tar member in archive order. `content` yields the member's
  // bytes (regular files only) and may be left unread.
  using Visitor = std::function<Status(const TarEntry& entry, ByteSource& content)>;
  Status ForEachDataEntry(const Visitor& visit) const;

 private:
  struct Member {
    uint64_t offset = 0;
    uint64_t size = 0;
  };
  Status ForEachEntry(const Member& member, const std::string& what, const Visitor& visit) const;

  std::string path_;
  Member control_;
  Member data_;
  std::string data_name_;
};

}  // namespace plinth::debian
