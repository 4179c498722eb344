// MergedFilesystem: the filesystem an image's layers leave, read by streaming each layer once
// (no unpacking to disk). Layers are walked from the top one down: an entry is part of the
// merged tree when no upper layer has the same path, a whiteout (`.wh.NAME`) for it or one of
// its parents, an opaque marker (`.wh..wh..opq`) on one of its parent folders, or a
// non-directory at one of its parents. Each such entry is handed to a visitor once, with its
// content while the layer streams past; everything else is counted as shadowed (dive's
// "wasted bytes"). Layers are untrusted: each blob is checked against its digest and its
// uncompressed stream against the config's diff_id; names go through layer::TarReader.
// A visitor sees a layer's files before that layer's digests are checked (they cover the whole
// stream): a caller keeps what it learned only when the walk succeeds. Paths are compared as
// written (a member below a lower layer's symlink to a folder is not resolved through it), and
// at most 2^20 paths are remembered (more is an error), so memory stays bounded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "layer/tar_entry.h"
#include "oci/image.h"
#include "oci/layout_store.h"
#include "util/byte_stream.h"
#include "util/result.h"

namespace plinth::audit {

struct ImageFile {
  // Name relative, no leading "/" ("usr/bin/env"). A hard link comes as such (kHardLink,
  // `link_target` naming the member of the same layer whose content it shares) without content.
  layer::TarEntry entry;
  size_t layer = 0;  // index into Image::layers of the layer it comes from
};

class MergedFileVisitor {
 public:
  virtual ~MergedFileVisitor() = default;
  // Called once per entry of the merged tree, upper layers first (so not in path order).
  // `content` is the member's data for a regular file (nullptr otherwise); the visitor may
  // read as much of it as it needs, and the walker skips the rest.
  virtual Status OnFile(const ImageFile& file, ByteSource* content) = 0;
};

struct LayerFigures {
  uint64_t compressed_bytes = 0;  // the blob's size
  uint64_t file_bytes = 0;        // regular-file bytes in the layer
  uint64_t shadowed_bytes = 0;    // of those, bytes an upper layer replaces or deletes
};

struct MergedFigures {
  std::vector<LayerFigures> layers;  // in Image::layers order
  uint64_t wasted_bytes = 0;         // sum of shadowed_bytes
  uint64_t file_bytes = 0;           // regular-file bytes of the merged tree
};

Result<MergedFigures> WalkMergedFilesystem(const oci::LayoutStore& store, const oci::Image& image,
                                           MergedFileVisitor& visitor);

}  // namespace plinth::audit
