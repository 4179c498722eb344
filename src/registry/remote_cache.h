// RemoteCache: the registry as the fleet's shared build cache. A target's cache key (computed
// by the plan from all of its inputs) is recorded as a tag in the target's own repository:
//
//   tag = "plinth-cache-" hex(sha256(key))[0:64]     (a valid tag: [A-Za-z0-9_.-], 77 chars)
//
// The tag names the built image's manifest or index; the registry only accepts it when every
// blob below it is present, so a hit is always complete. Record() comes after the image was
// pushed to the repository; Lookup() HEADs the tag; Fetch() pulls a hit into the store.
// A registry that cannot be reached is an error the build reports and treats as a miss.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "oci/layout_store.h"
#include "registry/registry_client.h"

namespace plinth::registry {

class RemoteCache {
 public:
  RemoteCache(RegistryClient& client, std::string repository)
      : client_(client), repository_(std::move(repository)) {}

  static std::string TagFor(std::string_view key);

  // The image recorded for `key`, or nullopt on a miss.
  Result<std::optional<oci::Descriptor>> Lookup(std::string_view key);
  // Records that `key` built `image`, which is already in this repository.
  Status Record(std::string_view key, const oci::Descriptor& image);
  // Pulls the image recorded for `key` into `store` as `store_name`; nullopt on a miss.
  Result<std::optional<oci::Descriptor>> Fetch(std::string_view key, const oci::LayoutStore& store,
                                               const std::string& store_name);

 private:
  RegistryClient& client_;
  std::string repository_;
};

}  // namespace plinth::registry
