// Helpers for the audit tests: images made in the test, layer by layer, from tar members given
// one by one (so whiteouts, hard links and repeated members are written exactly as asked), in a
// scratch LayoutStore.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layer/compression.h"
#include "layer/tar_entry.h"
#include "oci/image.h"
#include "oci/layout_store.h"
#include "support/test_env.h"

namespace plinth::audit::testing {

// One tar member; a regular file's data is `content` (its size is set from it).
struct Member {
  layer::TarEntry entry;
  std::string content;
};

Member File(const std::string& name, const std::string& content, uint32_t mode = 0644);
Member Dir(const std::string& name, uint32_t mode = 0755);
Member Symlink(const std::string& name, const std::string& target);
Member HardLink(const std::string& name, const std::string& target);
// "DIR/.wh.NAME" for `path` = "DIR/NAME".
Member Whiteout(const std::string& path);
// "DIR/.wh..wh..opq".
Member Opaque(const std::string& dir);

class ImageMaker {
 public:
  ImageMaker();
  // Adds a layer on top of `image` (a scratch amd64 image when omitted).
  oci::Image Add(oci::Image image, const std::vector<Member>& members,
                 layer::Compression compression = layer::Compression::kGzip);
  oci::Image Scratch(const std::string& architecture = "amd64") const;
  // Writes the image and tags it `name`; returns the manifest descriptor.
  oci::Descriptor Store(const oci::Image& image, const std::string& name);
  const oci::LayoutStore& store() const { return *store_; }
  const std::string& dir() const { return dir_.path(); }

 private:
  plinth::testing::ScratchDir dir_;
  std::unique_ptr<oci::LayoutStore> store_;
};

}  // namespace plinth::audit::testing
