// LayerEntries: the paths one build step adds, with the exact metadata each gets in the layer,
// and how they become a layer blob in the store. The stage engine decides *what* goes in a
// layer here; src/layer decides how bytes are written.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "builder/build_progress.h"
#include "layer/layer_builder.h"
#include "oci/layout_store.h"

namespace plinth::builder {

struct LayerEntry {
  enum class Type { kDirectory, kFile, kSymlink, kContent } type = Type::kFile;
  std::string source_root;  // kFile: the folder the file is read inside (a context, a tree)
  std::string source;       // kFile: its path relative to source_root, resolved inside it
  std::string content;  // kContent: the bytes (heredocs, generated files)
  std::string link_target;
  uint32_t mode = 0644;  // permission bits incl. setuid/setgid/sticky
  uint32_t uid = 0, gid = 0;
};

// Keyed by path in the image, relative ("app/main.py"); the map keeps them sorted.
using LayerEntries = std::map<std::string, LayerEntry>;

// Adds folder entries for every parent of every entry that is not itself an entry, with the
// metadata the folder has in `lower_rootfs` (the image below, unpacked; "" for none), or
// 0755 and `created_owner` when the image does not have it.
void AddParentFolders(LayerEntries* entries, const std::string& lower_rootfs, uint32_t created_uid,
                      uint32_t created_gid);

struct WrittenLayer {
  oci::Descriptor descriptor;
  oci::Digest diff_id;
};

// Writes the layer blob; `progress` is told of the content bytes as they go into it.
Result<WrittenLayer> WriteLayer(const oci::LayoutStore& store, const LayerEntries& entries,
                                layer::Compression compression, int64_t timestamp,
                                const TargetProgress& progress = {});

}  // namespace plinth::builder
