// RootfsCache: an image's files unpacked on disk, for what needs to read them natively: COPY
// --from another stage or image, --chown by user name (/etc/passwd), and the metadata of parent
// folders a new layer touches. Unpacked once per layer chain, under STORE/plinth/rootfs/<chain>,
// where <chain> is the sha256 of the image's diff_ids in order; built in a temp folder and
// renamed into place, so a killed build never leaves a half-unpacked tree under that name.
//
// A stage adds one layer at a time, so most chains extend one already unpacked: the new tree
// starts as a hard-link clone of the longest unpacked prefix and only the layers above it are
// extracted. That is safe because the extractor never writes into an existing file: it unlinks
// and recreates every path a layer names, so a clone never changes the tree it came from.
#pragma once

#include <mutex>
#include <string>

#include "oci/image.h"
#include "oci/layout_store.h"

namespace plinth::builder {

class RootfsCache {
 public:
  explicit RootfsCache(const oci::LayoutStore& store) : store_(store) {}
  // The folder holding `image`'s files (unpacked with whiteouts applied).
  Result<std::string> Materialize(const oci::Image& image);

 private:
  std::string ChainDir(const oci::Image& image, size_t layers) const;
  const oci::LayoutStore& store_;
  std::mutex mu_;
};

// Recreates the tree at `from` under `to` (which must not exist): folders are new, with the
// same mode, owner and times; everything else is a hard link to the same inode.
Status CloneTreeWithHardLinks(const std::string& from, const std::string& to);

}  // namespace plinth::builder
