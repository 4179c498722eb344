#include "audit/audit_image_support.h"

#include <gtest/gtest.h>

#include "layer/layer_stream.h"
#include "layer/tar_writer.h"

namespace plinth::audit::testing {

Member File(const std::string& name, const std::string& content, uint32_t mode) {
  return {.entry = {.name = name,
                    .type = layer::EntryType::kRegular,
                    .mode = mode,
                    .size = content.size()},
          .content = content};
}

Member Dir(const std::string& name, uint32_t mode) {
  return {.entry = {.name = name, .type = layer::EntryType::kDirectory, .mode = mode}};
}

Member Symlink(const std::string& name, const std::string& target) {
  return {
      .entry = {
          .name = name, .type = layer::EntryType::kSymlink, .mode = 0777, .link_target = target}};
}

Member HardLink(const std::string& name, const std::string& target) {
  return {
      .entry = {
          .name = name, .type = layer::EntryType::kHardLink, .mode = 0644, .link_target = target}};
}

namespace {
std::string Prefix(const std::string& path, std::string* base) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    *base = path;
    return "";
  }
  *base = path.substr(slash + 1);
  return path.substr(0, slash + 1);
}
}  // namespace

Member Whiteout(const std::string& path) {
  std::string base;
  std::string dir = Prefix(path, &base);
  return File(dir + ".wh." + base, "");
}

Member Opaque(const std::string& dir) { return File(dir + "/.wh..wh..opq", ""); }

ImageMaker::ImageMaker() {
  auto store = oci::LayoutStore::Open(dir_.path() + "/store");
  EXPECT_TRUE(store) << store.error().ToString();
  store_ = std::make_unique<oci::LayoutStore>(std::move(*store));
}

oci::Image ImageMaker::Scratch(const std::string& architecture) const {
  return oci::ScratchImage({.os = "linux", .architecture = architecture}, 0);
}

oci::Image ImageMaker::Add(oci::Image image, const std::vector<Member>& members,
                           layer::Compression compression) {
  StringSink blob;
  layer::LayerStream stream(blob, compression);
  layer::TarWriter tar(stream);
  for (const Member& m : members) {
    StringSource content(m.content);
    Status wrote = tar.WriteEntry(m.entry, &content);
    EXPECT_TRUE(wrote) << m.entry.name << ": " << wrote.error().ToString();
  }
  EXPECT_TRUE(tar.Finish());
  auto info = stream.Finish();
  EXPECT_TRUE(info) << info.error().ToString();
  auto descriptor = store_->PutBlob(blob.str(), info->media_type);
  EXPECT_TRUE(descriptor) << descriptor.error().ToString();
  return oci::AppendLayer(std::move(image), *descriptor, info->diff_id,
                          {.created_by = "test layer"});
}

oci::Descriptor ImageMaker::Store(const oci::Image& image, const std::string& name) {
  auto manifest = oci::WriteImage(*store_, image);
  EXPECT_TRUE(manifest) << manifest.error().ToString();
  EXPECT_TRUE(store_->Tag(name, *manifest));
  return *manifest;
}

}  // namespace plinth::audit::testing
