// RegistryImageSource: how a build gets the image a FROM or `COPY --from=mongo:7.0` names:
// from the store if it is there for the build's platform, else pulled through the registry
// (mirrors, auth, retries, verification included) into the store.
//
// Only the requested platform is pulled. The store names the image by its familiar reference
// ("mongo:7.0"); when a second platform of the same image is pulled, the store's entry becomes
// a local index of both platform manifests, whose digests are the registry's.
#pragma once

#include <string>

#include "oci/layout_store.h"
#include "oci/platform.h"
#include "registry/registry_context.h"

namespace plinth::registry {

enum class PullPolicy { kIfMissing, kAlways };

class RegistryImageSource {
 public:
  RegistryImageSource(RegistryContext& registries, const oci::LayoutStore& store)
      : registries_(registries), store_(store) {}

  // The platform manifest of `reference` (docker syntax: "redis", "mongo:7.0",
  // "gcr.io/distroless/base@sha256:…"), present in the store with all its blobs afterwards.
  Result<oci::Descriptor> Resolve(const std::string& reference, const oci::Platform& platform,
                                  PullPolicy policy = PullPolicy::kIfMissing);

 private:
  Result<oci::Descriptor> FindInStore(const std::string& name, const oci::Platform& platform);
  Status Remember(const std::string& name, oci::Descriptor manifest, const oci::Platform& platform);
  RegistryContext& registries_;
  const oci::LayoutStore& store_;
};

}  // namespace plinth::registry
