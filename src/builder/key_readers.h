// The readers a target's cache key (plan/target_key.h) uses on this machine: the build
// contexts on disk, the images in the store as the fleet names them (FleetImageSource with pulls
// off: the key never pulls), and the Debian recipes with their lock files. `plan` and `build`
// use the same ones, so they compute the same keys.
#pragma once

#include "builder/fleet_image_source.h"
#include "plan/disk_context_files.h"
#include "plan/key_sources.h"

namespace plinth::builder {

// The image a reference names, read through an ImageSource.
class ImageBaseResolver : public plan::BaseResolver {
 public:
  explicit ImageBaseResolver(ImageSource& images) : images_(images) {}
  Result<plan::BaseImage> Resolve(const std::string& ref, const oci::Platform& platform) override;

 private:
  ImageSource& images_;
};

// The recipe file's digest and the digest of its lock file's section for one architecture
// (so that locking arm64 does not change amd64's key).
class DebianRecipeReader : public plan::RecipeReader {
 public:
  Result<plan::RecipeInputs> Read(const std::string& recipe_path,
                                  const std::string& architecture) override;
};

class StoreKeySources {
 public:
  StoreKeySources(const fleet::Fleet& fleet, const oci::LayoutStore& store)
      : images_(fleet, store, nullptr), bases_(images_) {}
  plan::KeySources sources() { return {&files_, &bases_, &recipes_}; }

 private:
  plan::DiskContextFiles files_;
  FleetImageSource images_;
  ImageBaseResolver bases_;
  DebianRecipeReader recipes_;
};

}  // namespace plinth::builder
