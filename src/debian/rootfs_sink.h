// RootfsSink: where an assembled root filesystem goes, one entry at a time, in the order the
// image should list them (normally a layer's tar writer). Paths are clean and relative
// ("usr/bin/python3"); directories and links carry no content.
#pragma once

#include "debian/tar_entry.h"
#include "util/byte_stream.h"
#include "util/result.h"

namespace plinth::debian {

class RootfsSink {
 public:
  virtual ~RootfsSink() = default;
  // `content` is non-null for regular files and yields exactly entry.size bytes.
  virtual Status Add(const TarEntry& entry, ByteSource* content) = 0;
};

}  // namespace plinth::debian
