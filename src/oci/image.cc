#include "oci/image.h"

#include <cstdlib>

#include "oci/media_types.h"

namespace plinth::oci {

Image ScratchImage(const Platform& platform, int64_t timestamp) {
  Image image;
  image.config.platform = platform;
  image.config.created = FormatTimestamp(timestamp);
  return image;
}

Result<Image> ReadImage(const LayoutStore& store, const Descriptor& manifest) {
  PLINTH_TRY(Manifest m, store.ReadManifest(manifest.digest));
  PLINTH_TRY(ImageConfig config, store.ReadConfig(m.config.digest));
  if (config.diff_ids.size() != m.layers.size())
    return IntegrityError("image " + manifest.digest.str() + " has " +
                          std::to_string(m.layers.size()) + " layers but " +
                          std::to_string(config.diff_ids.size()) + " diff_ids in its config");
  Image image;
  image.config = std::move(config);
  image.layers = std::move(m.layers);
  image.annotations = std::move(m.annotations);
  return image;
}

Result<Image> ReadImage(const LayoutStore& store, const std::string& name, const Platform& platform,
                        Descriptor* manifest) {
  PLINTH_TRY(Descriptor root, store.Resolve(name));
  auto selected = store.SelectPlatform(root, platform);
  if (!selected) return selected.error().Context("reading image '" + name + "'");
  if (manifest) *manifest = *selected;
  return ReadImage(store, *selected);
}

Image AppendLayer(Image image, const Descriptor& layer, const Digest& diff_id,
                  HistoryEntry history) {
  image.layers.push_back(layer);
  image.config.diff_ids.push_back(diff_id);
  history.empty_layer = false;
  image.config.history.push_back(std::move(history));
  return image;
}

Image AppendEmptyHistory(Image image, HistoryEntry history) {
  history.empty_layer = true;
  image.config.history.push_back(std::move(history));
  return image;
}

Result<Descriptor> WriteImage(const LayoutStore& store, const Image& image) {
  return store.WriteImage(image.config, image.layers, image.annotations);
}

Result<int64_t> BuildTimestamp(int64_t flag_value) {
  if (flag_value >= 0) return flag_value;
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (!env || !*env) return int64_t{0};
  char* end = nullptr;
  long long v = std::strtoll(env, &end, 10);
  if (*end != '\0' || v < 0)
    return InvalidInput("SOURCE_DATE_EPOCH='" + std::string(env) +
                        "' is not a non-negative integer (seconds since 1970)");
  return static_cast<int64_t>(v);
}

}  // namespace plinth::oci
