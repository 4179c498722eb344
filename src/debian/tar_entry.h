// TarEntry: one member of a package's data.tar as plinth sees it (before it is placed in the
// image): the raw name, type, permissions, owner and link target. Content travels separately
// as a ByteSource so a member is never held in memory whole.
#pragma once

#include <cstdint>
#include <string>

namespace plinth::debian {

enum class EntryType { kFile, kDirectory, kSymlink, kHardlink, kOther };

struct TarEntry {
  std::string path;         // as stored ("./usr/bin/python3.11")
  EntryType type = EntryType::kFile;
  uint32_t mode = 0644;     // permission bits incl. setuid/setgid/sticky
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string uname;
  std::string gname;
  std::string link_target;  // symlink target, or hardlink's target member name
  uint64_t size = 0;        // regular files only
  int64_t mtime = 0;        // seconds since the epoch
};

}  // namespace plinth::debian
