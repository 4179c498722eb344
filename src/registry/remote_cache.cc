#include "registry/remote_cache.h"

#include "registry/puller.h"
#include "util/sha256.h"

namespace plinth::registry {

std::string RemoteCache::TagFor(std::string_view key) {
  return "plinth-cache-" + Sha256::HexOf(key);
}

Result<std::optional<oci::Descriptor>> RemoteCache::Lookup(std::string_view key) {
  auto found = client_.StatManifest(repository_, TagFor(key));
  if (!found) return found.error().Context("looking up the remote cache");
  return found;
}

Status RemoteCache::Record(std::string_view key, const oci::Descriptor& image) {
  auto manifest = client_.GetManifest(repository_, image.digest.str());
  if (!manifest) return manifest.error().Context("recording a remote cache entry");
  auto put = client_.PutManifest(repository_, TagFor(key), manifest->bytes,
                                 manifest->descriptor.media_type);
  if (!put) return put.error().Context("recording a remote cache entry");
  return Ok{};
}

Result<std::optional<oci::Descriptor>> RemoteCache::Fetch(std::string_view key,
                                                          const oci::LayoutStore& store,
                                                          const std::string& store_name) {
  PLINTH_TRY(std::optional<oci::Descriptor> hit, Lookup(key));
  if (!hit) return hit;
  // Pull by digest: the tag could move between the HEAD and the GET.
  Puller puller(client_, store);
  auto pulled = puller.Pull(repository_, hit->digest.str(), store_name);
  if (!pulled) return pulled.error().Context("fetching a remote cache hit");
  return std::optional<oci::Descriptor>(pulled->root);
}

}  // namespace plinth::registry
