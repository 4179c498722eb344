#include "registry/registry_image_source.h"

#include "oci/media_types.h"
#include "registry/puller.h"

namespace plinth::registry {
namespace {

// The platform a stored manifest is for: its descriptor's, else its config's.
Result<oci::Platform> PlatformOf(const oci::LayoutStore& store, const oci::Descriptor& d) {
  if (d.platform) return *d.platform;
  PLINTH_TRY(oci::Manifest m, store.ReadManifest(d.digest));
  PLINTH_TRY(oci::ImageConfig c, store.ReadConfig(m.config.digest));
  return c.platform;
}

bool SamePlatform(const oci::Platform& have, const oci::Platform& want) {
  return have.os == want.os && have.architecture == want.architecture &&
         (want.variant.empty() || have.variant == want.variant);
}

}  // namespace

Result<oci::Descriptor> RegistryImageSource::FindInStore(const std::string& name,
                                                         const oci::Platform& platform) {
  PLINTH_TRY(oci::Descriptor entry, store_.Resolve(name));
  if (oci::IsIndexType(entry.media_type)) return store_.SelectPlatform(entry, platform);
  PLINTH_TRY(oci::Platform have, PlatformOf(store_, entry));
  if (!SamePlatform(have, platform))
    return NotFound(name + " is in the store for " + have.str() + ", not " + platform.str());
  return entry;
}

Status RegistryImageSource::Remember(const std::string& name, oci::Descriptor manifest,
                                     const oci::Platform& platform) {
  manifest.platform = platform;
  auto existing = store_.Resolve(name);
  if (!existing) return store_.Tag(name, manifest);
  oci::Index index;
  if (oci::IsIndexType(existing->media_type)) {
    PLINTH_TRY(index, store_.ReadIndex(existing->digest));
  } else {
    oci::Descriptor other = *existing;
    other.annotations.clear();
    PLINTH_TRY(oci::Platform p, PlatformOf(store_, other));
    other.platform = p;
    index.manifests.push_back(other);
  }
  std::erase_if(index.manifests, [&](const oci::Descriptor& d) {
    return d.platform && SamePlatform(*d.platform, platform);
  });
  index.manifests.push_back(manifest);
  PLINTH_TRY(oci::Descriptor written, store_.WriteIndex(index));
  return store_.Tag(name, written);
}

Result<oci::Descriptor> RegistryImageSource::Resolve(const std::string& reference,
                                                     const oci::Platform& platform,
                                                     PullPolicy policy) {
  auto ref = oci::Reference::Parse(reference);
  if (!ref) return ref.error().Context("resolving image " + reference);
  std::string name = ref->Familiar();
  if (policy == PullPolicy::kIfMissing) {
    auto found = FindInStore(name, platform);
    if (found) return found;
  }
  Puller puller(registries_.Client(ref->domain()), store_, {.platform = platform});
  auto pulled = puller.Pull(ref->path(), ref->has_digest() ? ref->digest().str() : ref->tag(), "");
  if (!pulled) return pulled.error().Context("resolving image " + reference);
  if (!oci::IsManifestType(pulled->root.media_type))
    return InvalidInput("resolving image " + reference + ": the registry served an index inside "
                        "an index for " + platform.str());
  // A single-platform image pulled for another platform is refused, as docker would.
  PLINTH_TRY(oci::Platform have, PlatformOf(store_, pulled->root));
  if (!SamePlatform(have, platform))
    return NotFound("resolving image " + reference + ": it is for " + have.str() + ", not " +
                    platform.str());
  auto remembered = Remember(name, pulled->root, platform);
  if (!remembered) return remembered.error().Context("resolving image " + reference);
  oci::Descriptor out = pulled->root;
  out.platform = platform;
  return out;
}

}  // namespace plinth::registry
