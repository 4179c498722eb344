#include "builder/fleet_image_source.h"

#include "registry/registry_image_source.h"

namespace plinth::builder {

Result<ResolvedImage> FleetImageSource::Resolve(const std::string& ref,
                                                const oci::Platform& platform) {
  ResolvedImage out;
  out.name = ref;
  const fleet::Upstream* upstream = fleet_.UpstreamFor(ref);
  if (upstream && upstream->kind == fleet::UpstreamKind::kRecipe) {
    PLINTH_TRY(std::string name, fleet_.RecipeImageFor(ref, platform.str()));
    auto image = oci::ReadImage(store_, name, platform, &out.manifest);
    if (!image)
      return Error(ErrorKind::kNotFound, "'" + ref + "' comes from recipe " + upstream->recipe +
                                             ", whose image " + name + " is not built");
    out.image = std::move(*image);
    return out;
  }
  auto image = oci::ReadImage(store_, ref, platform, &out.manifest);
  if (image) {
    out.image = std::move(*image);
    return out;
  }
  if (image.error().kind() != ErrorKind::kNotFound) return image.error();
  if (!registries_)
    return Error(ErrorKind::kUnavailable,
                 "image '" + ref + "' is not in the store and pulls are off (--pull never); "
                 "`plinth pull " + ref + "` it, or map it to a recipe in plinth.yaml");
  registry::RegistryImageSource pulls(*registries_, store_);
  auto manifest = pulls.Resolve(ref, platform);
  if (!manifest) {
    Error e = manifest.error();
    if (e.kind() == ErrorKind::kRetryable || e.kind() == ErrorKind::kIo ||
        e.kind() == ErrorKind::kNotFound)
      return Error(ErrorKind::kUnavailable, "image '" + ref + "' cannot be reached: " + e.message());
    return e;
  }
  out.manifest = *manifest;
  PLINTH_TRY(out.image, oci::ReadImage(store_, *manifest));
  return out;
}

}  // namespace plinth::builder
