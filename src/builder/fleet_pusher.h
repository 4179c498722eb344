// FleetPusher: where `plinth build --push` puts each image, and what it sends. An image goes to
// the registry its store name says, or with `--push-to REGISTRY` to that registry under the
// same repository path (so a fleet named for docker.io can be pushed to a local or CI
// registry, and `--cache-from REGISTRY` finds it there). The pushes of one build share what
// they learn about which repository holds which blob: a base layer pushed with the base is
// mounted into every service's repository, never uploaded again.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "oci/layout_store.h"
#include "oci/reference.h"
#include "registry/blob_locations.h"
#include "registry/pusher.h"
#include "registry/registry_context.h"

namespace plinth::builder {

// What a build's pushes sent, summed over every image and index.
struct PushTotals : registry::PushCounts {
  int images = 0;
};

class FleetPusher {
 public:
  // `push_to` empty: each image's own registry.
  FleetPusher(registry::RegistryContext& registries, std::string push_to)
      : registries_(registries), push_to_(std::move(push_to)) {}

  // Where the store name `image` is pushed: its own reference, or the same path on push_to.
  Result<oci::Reference> Destination(const std::string& image) const;
  // Pushes the store's `root` (an image or an index) under `image`'s destination.
  Result<registry::PushResult> Push(const oci::LayoutStore& store, const std::string& image,
                                    const oci::Descriptor& root);
  // Records in `image`'s destination repository that `key` built `pushed`.
  Status RecordKey(const std::string& image, const std::string& key, const oci::Descriptor& pushed);
  PushTotals Totals() const;

 private:
  registry::RegistryContext& registries_;
  std::string push_to_;
  registry::BlobLocations known_;
  mutable std::mutex mu_;
  PushTotals totals_;
};

}  // namespace plinth::builder
