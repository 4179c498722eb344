// FleetImageSource: how a fleet build finds the images its Dockerfiles name. An upstream image
// the manifest maps to a Debian recipe is read from the recipe target's store name
// (Fleet::RecipeImageFor: in the fleet's namespace, never pulled, never stored under the
// vendor's name: plinth's build is not the vendor's image); everything else is looked up in the store by name (fleet
// targets are tagged there as they finish), then, when pulls are allowed, in its registry.
#pragma once

#include "builder/image_source.h"
#include "fleet/fleet.h"
#include "registry/registry_context.h"

namespace plinth::builder {

class FleetImageSource : public ImageSource {
 public:
  // `registries` null: pulls are off (--pull never), absent images are reported, not fetched.
  FleetImageSource(const fleet::Fleet& fleet, const oci::LayoutStore& store,
                   registry::RegistryContext* registries)
      : fleet_(fleet), store_(store), registries_(registries) {}
  Result<ResolvedImage> Resolve(const std::string& ref, const oci::Platform& platform) override;

 private:
  const fleet::Fleet& fleet_;
  const oci::LayoutStore& store_;
  registry::RegistryContext* registries_;
};

}  // namespace plinth::builder
