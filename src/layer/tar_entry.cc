#include "layer/tar_entry.h"

namespace plinth::layer {

const char* EntryTypeName(EntryType type) {
  switch (type) {
    case EntryType::kRegular: return "regular file";
    case EntryType::kHardLink: return "hard link";
    case EntryType::kSymlink: return "symlink";
    case EntryType::kDirectory: return "directory";
    case EntryType::kFifo: return "fifo";
    case EntryType::kCharDevice: return "character device";
    case EntryType::kBlockDevice: return "block device";
  }
  return "unknown";
}

}  // namespace plinth::layer
