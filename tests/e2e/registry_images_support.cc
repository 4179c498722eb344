#include "e2e/registry_images_support.h"

#include <cstdio>
#include <cstring>

#include "oci/media_types.h"

namespace plinth::testing {
namespace {

std::string Tar(const std::string& name, const std::string& content) {
  std::string h(512, '\0');
  std::memcpy(h.data(), name.data(), std::min<size_t>(name.size(), 99));
  std::snprintf(h.data() + 100, 8, "%07o", 0644);
  std::snprintf(h.data() + 108, 8, "%07o", 0);
  std::snprintf(h.data() + 116, 8, "%07o", 0);
  std::snprintf(h.data() + 124, 12, "%011llo", static_cast<unsigned long long>(content.size()));
  std::snprintf(h.data() + 136, 12, "%011o", 0);
  h[156] = '0';
  std::memcpy(h.data() + 257, "ustar\0" "00", 8);
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(h.data() + 148, 8, "%06o", sum);
  return h + content + std::string((512 - content.size() % 512) % 512, '\0') +
         std::string(1024, '\0');
}

}  // namespace

std::string WriteRegistryTestImage(const std::string& store_dir, const std::string& name,
                                   const std::string& platform, const std::string& content) {
  auto store = oci::LayoutStore::Open(store_dir);
  if (!store) return "";
  auto base = store->PutBlob(Tar("etc/os-release", "ID=lucid\n"), std::string(oci::kOciLayerTar));
  auto own = store->PutBlob(Tar("app/data", content), std::string(oci::kOciLayerTar));
  if (!base || !own) return "";
  oci::ImageConfig config;
  config.created = "1970-01-01T00:00:00Z";
  config.platform = *oci::Platform::Parse(platform);
  config.config.user = "65532";
  config.diff_ids = {base->digest, own->digest};
  auto image = store->WriteImage(config, {*base, *own});
  if (!image || !store->Tag(name, *image)) return "";
  return image->digest.str();
}

std::string WriteRegistryTestIndex(const std::string& store_dir, const std::string& name,
                                   const std::vector<std::string>& image_names) {
  auto store = oci::LayoutStore::Open(store_dir);
  if (!store) return "";
  oci::Index index;
  for (const auto& n : image_names) {
    auto d = store->Resolve(n);
    if (!d) return "";
    oci::Descriptor entry = *d;
    entry.annotations.clear();
    index.manifests.push_back(entry);
  }
  auto written = store->WriteIndex(index);
  if (!written || !store->Tag(name, *written)) return "";
  return written->digest.str();
}

}  // namespace plinth::testing
