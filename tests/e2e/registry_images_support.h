// Images for the registry end-to-end suite, written through the oci LayoutStore API (until
// `plinth image build` lands): one uncompressed tar layer per image plus a shared base layer.
#pragma once

#include <string>

#include "oci/layout_store.h"

namespace plinth::testing {

// Writes an image for `platform` named `name` into the store at `store_dir`; returns its
// manifest digest ("sha256:…"). `content` varies the image's own layer.
std::string WriteRegistryTestImage(const std::string& store_dir, const std::string& name,
                                   const std::string& platform, const std::string& content);
// Names an index of the named platform images `name`; returns its digest.
std::string WriteRegistryTestIndex(const std::string& store_dir, const std::string& name,
                                   const std::vector<std::string>& image_names);

}  // namespace plinth::testing
