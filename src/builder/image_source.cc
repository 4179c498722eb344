#include "builder/image_source.h"

namespace plinth::builder {

Result<ResolvedImage> StoreImageSource::Resolve(const std::string& ref,
                                                const oci::Platform& platform) {
  ResolvedImage out;
  out.name = ref;
  auto image = oci::ReadImage(store_, ref, platform, &out.manifest);
  if (!image) return image.error();
  out.image = std::move(*image);
  return out;
}

void ChainedImageSource::Add(std::shared_ptr<ImageSource> source, std::string description) {
  sources_.emplace_back(std::move(source), std::move(description));
}

Result<ResolvedImage> ChainedImageSource::Resolve(const std::string& ref,
                                                  const oci::Platform& platform) {
  std::string tried;
  for (auto& [source, description] : sources_) {
    auto r = source->Resolve(ref, platform);
    if (r.ok() || r.error().kind() != ErrorKind::kNotFound) return r;
    tried += (tried.empty() ? "" : "; ") + description + ": " + r.error().message();
  }
  return NotFound("image '" + ref + "' for " + platform.str() + " is not available (" + tried + ")");
}

}  // namespace plinth::builder
