// TarEntry: the metadata of one tar member, as the writer emits it and the reader returns it.
// Names are slash-separated and relative ("usr/bin/env"); directories carry no trailing slash
// here (the header encoding adds it). Only permission bits, setuid/setgid/sticky live in
// `mode`; the file type lives in `type`.
#pragma once

#include <cstdint>
#include <string>

namespace plinth::layer {

enum class EntryType {
  kRegular,
  kHardLink,  // `link_target` names an earlier member of the same archive
  kSymlink,   // `link_target` is the symlink's target, verbatim
  kDirectory,
  kFifo,
  kCharDevice,   // read from foreign tars only; the writer refuses devices
  kBlockDevice,  // read from foreign tars only; the writer refuses devices
};

struct TarEntry {
  std::string name;
  EntryType type = EntryType::kRegular;
  uint32_t mode = 0644;  // 07777 bits
  uint64_t uid = 0;
  uint64_t gid = 0;
  int64_t mtime = 0;  // seconds since the epoch
  uint64_t size = 0;  // content bytes (regular files only)
  std::string link_target;
  uint32_t dev_major = 0;
  uint32_t dev_minor = 0;
  // Regular files: the security.capability xattr (file capabilities, as `setcap` sets them), raw
  // bytes; empty when none. The one xattr a layer carries (PAX SCHILY.xattr, as docker, BuildKit
  // and buildah write it): without it a package's setcap'd binary loses its capability.
  std::string capability;
};

// Longest security.capability value a layer may carry (VFS_CAP v3 is 24 bytes).
inline constexpr size_t kMaxCapabilityBytes = 64;

const char* EntryTypeName(EntryType type);

}  // namespace plinth::layer
