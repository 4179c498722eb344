#include "builder/layer_entries.h"

#include <sys/stat.h>

#include "util/rooted_path.h"

namespace plinth::builder {
namespace {

// Passes reads through, telling the build's progress how many content bytes went by.
class CountingSource : public ByteSource {
 public:
  CountingSource(std::unique_ptr<ByteSource> inner, TargetProgress progress)
      : inner_(std::move(inner)), progress_(progress) {}
  Result<size_t> Read(void* data, size_t size) override {
    auto n = inner_->Read(data, size);
    if (n) progress_.Bytes(static_cast<int64_t>(*n));
    return n;
  }

 private:
  std::unique_ptr<ByteSource> inner_;
  TargetProgress progress_;
};

}  // namespace

void AddParentFolders(LayerEntries* entries, const std::string& lower_rootfs, uint32_t created_uid,
                      uint32_t created_gid) {
  std::vector<std::string> parents;
  for (const auto& [path, entry] : *entries) {
    for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
      parents.push_back(path.substr(0, slash));
  }
  for (const auto& parent : parents) {
    if (entries->count(parent)) continue;
    LayerEntry dir{.type = LayerEntry::Type::kDirectory, .mode = 0755, .uid = created_uid,
                   .gid = created_gid};
    auto st = lower_rootfs.empty() ? Result<std::optional<struct stat>>(std::nullopt)
                                   : LstatInRoot(lower_rootfs, parent);
    if (st && *st && S_ISDIR((*st)->st_mode)) {
      dir.mode = (*st)->st_mode & 07777;
      dir.uid = (*st)->st_uid;
      dir.gid = (*st)->st_gid;
    }
    (*entries)[parent] = dir;
  }
}

Result<WrittenLayer> WriteLayer(const oci::LayoutStore& store, const LayerEntries& entries,
                                layer::Compression compression, int64_t timestamp,
                                const TargetProgress& progress) {
  layer::LayerBuilder builder(layer::LayerOptions{.compression = compression, .timestamp = timestamp});
  for (const auto& [path, e] : entries) {
    layer::TarEntry t;
    t.name = path;
    t.mode = e.mode;
    t.uid = e.uid;
    t.gid = e.gid;
    t.mtime = timestamp;
    layer::ContentOpener opener;
    switch (e.type) {
      case LayerEntry::Type::kDirectory: t.type = layer::EntryType::kDirectory; break;
      case LayerEntry::Type::kSymlink:
        t.type = layer::EntryType::kSymlink;
        t.link_target = e.link_target;
        break;
      case LayerEntry::Type::kFile: {
        // Opened inside its root, so no link on the way (however it changed since it was
        // selected) reaches out of it; the size is the one it has now, the content at most that.
        PLINTH_TRY(FileSource probe, OpenInRoot(e.source_root, e.source));
        t.type = layer::EntryType::kRegular;
        t.size = probe.size();
        std::string root = e.source_root, source = e.source;
        opener = [root, source, progress]() -> Result<std::unique_ptr<ByteSource>> {
          PLINTH_TRY(FileSource f, OpenInRoot(root, source));
          return std::unique_ptr<ByteSource>(std::make_unique<CountingSource>(
              std::make_unique<FileSource>(std::move(f)), progress));
        };
        break;
      }
      case LayerEntry::Type::kContent: {
        t.type = layer::EntryType::kRegular;
        t.size = e.content.size();
        std::string content = e.content;
        opener = [content, progress]() -> Result<std::unique_ptr<ByteSource>> {
          return std::unique_ptr<ByteSource>(
              std::make_unique<CountingSource>(std::make_unique<StringSource>(content), progress));
        };
        break;
      }
    }
    auto added = builder.AddEntry(std::move(t), std::move(opener));
    if (!added) return added.error().Context("adding " + path + " to a layer");
  }
  PLINTH_TRY(oci::BlobWriter blob, store.NewBlob());
  PLINTH_TRY(layer::LayerInfo info, builder.Build(blob));
  PLINTH_TRY(oci::Descriptor descriptor, blob.Commit(info.media_type, info.digest));
  return WrittenLayer{descriptor, info.diff_id};
}

}  // namespace plinth::builder
