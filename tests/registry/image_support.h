// Test images for the registry suites, written straight through the oci LayoutStore: real
// (uncompressed, deterministic) tar layers, a config whose diff_ids match, an OCI manifest, and
// multi-arch indexes, so skopeo and the store's own verifier accept them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "oci/layout_store.h"

namespace plinth::testing {

struct TestFile {
  std::string name;
  std::string content;
};

// A tar holding `files` (mode 0644, uid/gid 0, mtime 0).
std::string MakeTar(const std::vector<TestFile>& files);

// Writes a layer of `size` pseudo-random bytes (seeded, so repeatable) as one file in a tar,
// streaming it into the store; returns the layer descriptor.
oci::Descriptor AddRandomLayer(const oci::LayoutStore& store, uint64_t size, uint32_t seed);
oci::Descriptor AddLayer(const oci::LayoutStore& store, const std::vector<TestFile>& files);

// An image of `layers` for `platform` ("linux/arm64"); returns its manifest descriptor.
oci::Descriptor AddImage(const oci::LayoutStore& store, const std::vector<oci::Descriptor>& layers,
                         const std::string& platform);
// An index of the given manifests (each carrying its platform).
oci::Descriptor AddIndex(const oci::LayoutStore& store, const std::vector<oci::Descriptor>& manifests);

}  // namespace plinth::testing
