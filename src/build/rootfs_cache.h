// RootfsCache: an image's files unpacked on disk, for what needs to read them natively: COPY
// --from another stage or image, --chown by user name (/etc/passwd), and the metadata of parent
// folders a new layer touches. Unpacked once per layer chain, under STORE/plinth/rootfs/<chain>,
// where <chain> is the sha256 of the image's diff_ids in order; built in a temp folder and
// renamed into place, so a killed build never leaves a half-unpacked tree under that name.
#pragma once

#include <mutex>
#include <string>

#include "oci/image.h"
#include "oci/layout_store.h"

namespace plinth::build {

class RootfsCache {
 public:
  explicit RootfsCache(const oci::LayoutStore& store) : store_(store) {}
  // The folder holding `image`'s files (unpacked with whiteouts applied).
  Result<std::string> Materialize(const oci::Image& image);

 private:
  const oci::LayoutStore& store_;
  std::mutex mu_;
};

}  // namespace plinth::build
