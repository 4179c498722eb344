#include "registry/image_support.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "oci/media_types.h"
#include "util/sha256.h"

namespace plinth::testing {
namespace {

std::string TarHeader(const std::string& name, uint64_t size) {
  std::string h(512, '\0');
  std::memcpy(h.data(), name.data(), std::min<size_t>(name.size(), 99));
  auto octal = [&](size_t offset, size_t width, uint64_t value) {
    std::string digits(width - 1, '0');
    for (size_t i = width - 1; i-- > 0; value >>= 3) digits[i] = static_cast<char>('0' + (value & 7));
    std::memcpy(h.data() + offset, digits.data(), digits.size());
  };
  octal(100, 8, 0644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 0);
  h[156] = '0';
  std::memcpy(h.data() + 257, "ustar\0" "00", 8);
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  char chk[8];
  std::snprintf(chk, sizeof chk, "%06o", sum);
  std::memcpy(h.data() + 148, chk, 7);
  return h;
}

std::string Padding(uint64_t size) { return std::string((512 - size % 512) % 512, '\0'); }

}  // namespace

std::string MakeTar(const std::vector<TestFile>& files) {
  std::string out;
  for (const auto& f : files) out += TarHeader(f.name, f.content.size()) + f.content + Padding(f.content.size());
  return out + std::string(1024, '\0');
}

oci::Descriptor AddLayer(const oci::LayoutStore& store, const std::vector<TestFile>& files) {
  auto d = store.PutBlob(MakeTar(files), std::string(oci::kOciLayerTar));
  EXPECT_TRUE(d.ok()) << d.error().ToString();
  return *d;
}

oci::Descriptor AddRandomLayer(const oci::LayoutStore& store, uint64_t size, uint32_t seed) {
  auto writer = store.NewBlob();
  EXPECT_TRUE(writer.ok()) << writer.error().ToString();
  EXPECT_TRUE(writer->Write(TarHeader("data-" + std::to_string(seed) + ".bin", size)).ok());
  std::mt19937_64 rng(seed);
  std::string chunk(1 << 20, '\0');
  for (uint64_t left = size; left > 0;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
    for (size_t i = 0; i + 8 <= n; i += 8) {
      uint64_t v = rng();
      std::memcpy(chunk.data() + i, &v, 8);
    }
    EXPECT_TRUE(writer->Write(chunk.data(), n).ok());
    left -= n;
  }
  EXPECT_TRUE(writer->Write(Padding(size) + std::string(1024, '\0')).ok());
  auto d = writer->Commit(std::string(oci::kOciLayerTar));
  EXPECT_TRUE(d.ok()) << d.error().ToString();
  return *d;
}

oci::Descriptor AddImage(const oci::LayoutStore& store, const std::vector<oci::Descriptor>& layers,
                         const std::string& platform) {
  oci::ImageConfig config;
  config.created = "1970-01-01T00:00:00Z";
  config.platform = *oci::Platform::Parse(platform);
  config.config.user = "65532";
  config.config.cmd = std::vector<std::string>{"/app"};
  // Uncompressed tar layers: diff_id == digest.
  for (const auto& l : layers) config.diff_ids.push_back(l.digest);
  auto d = store.WriteImage(config, layers);
  EXPECT_TRUE(d.ok()) << d.error().ToString();
  return *d;
}

oci::Descriptor AddIndex(const oci::LayoutStore& store,
                         const std::vector<oci::Descriptor>& manifests) {
  oci::Index index;
  index.manifests = manifests;
  auto d = store.WriteIndex(index);
  EXPECT_TRUE(d.ok()) << d.error().ToString();
  return *d;
}

}  // namespace plinth::testing
