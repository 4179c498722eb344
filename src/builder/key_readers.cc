#include "builder/key_readers.h"

#include "debian/lock_file.h"
#include "debian/recipe.h"
#include "util/sha256_stream.h"

namespace plinth::builder {

Result<plan::BaseImage> ImageBaseResolver::Resolve(const std::string& ref,
                                                   const oci::Platform& platform) {
  PLINTH_TRY(ResolvedImage image, images_.Resolve(ref, platform));
  return plan::BaseImage{image.manifest.digest.str(), image.image.config.config.on_build};
}

Result<plan::RecipeInputs> DebianRecipeReader::Read(const std::string& recipe_path,
                                                    const std::string& architecture) {
  plan::RecipeInputs inputs;
  PLINTH_TRY(std::string hex, Sha256HexOfFile(recipe_path));
  inputs.recipe = "sha256:" + hex;
  PLINTH_TRY(debian::Recipe recipe, debian::LoadRecipeFile(recipe_path));
  PLINTH_TRY(debian::LockFile lock, debian::LockFile::Load(recipe_path + ".lock"));
  std::string section = lock.SectionDigest(recipe.name, architecture);
  if (!section.empty()) inputs.lock = "sha256:" + section;
  return inputs;
}

}  // namespace plinth::builder
