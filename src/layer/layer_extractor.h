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
//
// WhiteoutMode::kOverlay unpacks one layer on its own, as an overlayfs lower folder (a native
// RUN step's snapshot, run/snapshot_store.h): ".wh.NAME" becomes NAME, a 0:0 character device
// with the member's owner, mode and mtime (replacing anything there, but never a NAME this
// layer wrote itself; needs root), and "DIR/.wh..wh..opq" the xattr trusted.overlay.opaque=y
// on DIR (created if missing); a folder the layer whites out and then makes again is opaque.
// Nothing is removed. Folders get their members' mtimes once everything below them is
// written, so the tree's times are the layer's.
//
// Given the layer's digest and diff_id, the blob is hashed as it is read and its tar as it is
// decompressed, and the stream is read to its end: ExtractLayer fails (kIntegrity) unless both
// match, so a caller that publishes the tree only when it succeeds never publishes bytes other
// than the ones the image names. Unpacked bytes are bounded (a gzip bomb stops at the limit).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "oci/digest.h"
#include "util/byte_stream.h"

namespace plinth::layer {

enum class OwnershipPolicy {
  kCurrentUser,  // files belong to whoever extracts (rootless)
  kPreserve,     // lchown to the member's uid/gid (needs root)
};

// Full modes (with setuid/setgid) of files whose unpacked copy lacks those bits, by inode.
using SetidModes = std::map<uint64_t, uint32_t>;

enum class WhiteoutMode {
  kApply,    // whiteouts remove what they name: layers stacked into one folder
  kOverlay,  // whiteouts written as overlayfs marks them: one layer per folder (see above)
};

struct ExtractOptions {
  OwnershipPolicy ownership = OwnershipPolicy::kCurrentUser;
  std::optional<oci::Digest> digest;   // of the blob as read
  std::optional<oci::Digest> diff_id;  // of the uncompressed tar
  // More uncompressed bytes than this is refused (InvalidInput); 0: no limit.
  uint64_t max_unpacked_bytes = 0;
  // Set: files (not folders) are written without setuid/setgid bits, which would let anyone
  // who reaches the tree run them with the owner's rights; their full modes are recorded here
  // instead. Each file this layer creates first drops its inode's earlier entry, so the map
  // of a tree cloned with hard links stays right as layers are added.
  SetidModes* setid_modes = nullptr;
  WhiteoutMode whiteouts = WhiteoutMode::kApply;
};

struct ExtractStats {
  uint64_t entries = 0;
  uint64_t whiteouts = 0;
  uint64_t bytes = 0;
};

Result<ExtractStats> ExtractLayer(ByteSource& layer, const std::string& root,
                                  const ExtractOptions& options = {});

// The most a layer of `compressed_size` bytes may unpack to: max(floor, ratio × compressed
// size), with ratio $PLINTH_LAYER_UNPACK_RATIO (default 100) and floor
// $PLINTH_LAYER_UNPACK_MIN_BYTES (default 1 GiB). A malformed variable is an error.
Result<uint64_t> UnpackLimit(uint64_t compressed_size);

}  // namespace plinth::layer
