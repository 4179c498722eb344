// ExtractLayer: unpacks a layer (gzip, zstd, xz or plain tar, detected) into `root`, applying
// OCI whiteouts, so that extracting a base image's layers in order gives its root filesystem.
//
// Guarantees: nothing is written outside `root`. Member names with ".." or a leading "/" are
// refused (TarReader); parent directories are resolved inside the root, following symlinks
// only while they stay inside it, and a member that would be written through a symlink that
// leaves the root is refused; symlinks whose target leaves the root are refused; the final
// component is never followed (an existing file, link or tree there is replaced). Whiteouts:
// ".wh.NAME" removes NAME from the lower layers; "DIR/.wh..wh..opq" empties DIR of everything
// that did not come from this layer. Device members are refused (no layer plinth reads needs
// them, and creating them needs privileges).
#pragma once

#include <string>

#include "util/byte_stream.h"

namespace plinth::layer {

enum class OwnershipPolicy {
  kCurrentUser,  // files belong to whoever extracts (rootless)
  kPreserve,     // lchown to the member's uid/gid (needs root)
};

struct ExtractOptions {
  OwnershipPolicy ownership = OwnershipPolicy::kCurrentUser;
};

struct ExtractStats {
  uint64_t entries = 0;
  uint64_t whiteouts = 0;
  uint64_t bytes = 0;
};

Result<ExtractStats> ExtractLayer(ByteSource& layer, const std::string& root,
                                  const ExtractOptions& options = {});

}  // namespace plinth::layer
