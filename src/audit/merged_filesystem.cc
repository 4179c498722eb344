#include "audit/merged_filesystem.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "layer/decompressing_source.h"
#include "layer/hashing_source.h"
#include "layer/layer_extractor.h"
#include "layer/tar_reader.h"

namespace plinth::audit {
namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueWhiteout = ".wh..wh..opq";
// The walk remembers each path of the image (not its content) to decide what lower layers
// hide; a hostile layer of tiny members must not grow that without end. Real images hold tens
// of thousands of paths.
constexpr size_t kMaxPaths = size_t{1} << 20;

std::string_view Parent(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view(".") : path.substr(0, slash);
}

std::string_view Base(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// What the layers above the one being read leave at each path.
class UpperLayers {
 public:
  // Whether `path` from a lower layer is hidden: an upper layer has the same path, a whiteout
  // for it or one of its parents, an opaque marker in one of its parents, or a non-directory
  // at one of its parents (even one that a still higher layer replaced by a folder again: the
  // non-directory removed what was below it).
  bool Hides(const std::string& path) const {
    if (present_.count(path) || whiteouts_.count(path)) return true;
    for (size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      std::string parent = path.substr(0, slash);
      if (whiteouts_.count(parent) || opaque_.count(parent) || blocked_.count(parent)) return true;
    }
    return opaque_.count(".") > 0;  // an opaque root hides every lower path
  }
  size_t size() const {
    return present_.size() + blocked_.size() + whiteouts_.size() + opaque_.size();
  }

  std::unordered_set<std::string> present_;  // paths some upper layer has
  std::unordered_set<std::string> blocked_;  // of those, where some upper layer has a non-folder
  std::unordered_set<std::string> whiteouts_;
  std::unordered_set<std::string> opaque_;
};

// The paths one layer adds; they hide lower layers only once the layer is read (a layer's own
// whiteouts apply to the layers below it, not to its own members).
struct LayerPaths {
  struct Seen {
    bool directory = false;
    bool visible = false;
    uint64_t bytes = 0;  // regular-file bytes
  };
  std::unordered_map<std::string, Seen> entries;
  std::unordered_set<std::string> whiteouts;
  std::unordered_set<std::string> opaque;
};

std::string Join(std::string_view dir, std::string_view name) {
  if (dir == ".") return std::string(name);
  std::string out(dir);
  out += '/';
  out += name;
  return out;
}

Status WalkLayer(const oci::LayoutStore& store, const oci::Descriptor& descriptor,
                 const oci::Digest& diff_id, size_t index, UpperLayers& upper,
                 MergedFileVisitor& visitor, LayerFigures& figures, MergedFigures& merged) {
  PLINTH_TRY(FileSource file, store.OpenBlob(descriptor));
  PLINTH_TRY(uint64_t limit,
             layer::UnpackLimit(static_cast<uint64_t>(std::max<int64_t>(descriptor.size, 0))));
  layer::HashingSource blob(file);
  PLINTH_TRY(std::unique_ptr<ByteSource> plain, layer::OpenDecompressed(blob));
  layer::HashingSource tar_stream(*plain, limit,
                                  "the layer unpacks to more than " + std::to_string(limit) +
                                      " bytes, the limit for its size (see "
                                      "PLINTH_LAYER_UNPACK_RATIO and "
                                      "PLINTH_LAYER_UNPACK_MIN_BYTES)");
  layer::TarReader tar(tar_stream);
  LayerPaths mine;
  figures.compressed_bytes = static_cast<uint64_t>(descriptor.size);
  for (;;) {
    PLINTH_TRY(std::optional<layer::TarEntry> next, tar.Next());
    if (!next) break;
    layer::TarEntry& entry = *next;
    if (entry.name == ".") continue;
    if (upper.size() + mine.entries.size() + mine.whiteouts.size() >= kMaxPaths)
      return InvalidInput("the image holds more than " + std::to_string(kMaxPaths) +
                          " paths, more than the audit reads");
    std::string_view base = Base(entry.name);
    if (base == kOpaqueWhiteout) {
      mine.opaque.insert(std::string(Parent(entry.name)));
      continue;
    }
    if (base.starts_with(kWhiteoutPrefix)) {
      std::string_view target = base.substr(kWhiteoutPrefix.size());
      if (target.empty() || target == "." || target == "..")
        return InvalidInput("bad whiteout '" + entry.name + "'");
      mine.whiteouts.insert(Join(Parent(entry.name), target));
      continue;
    }
    bool regular = entry.type == layer::EntryType::kRegular;
    uint64_t bytes = regular ? entry.size : 0;
    figures.file_bytes += bytes;
    auto [seen, first] = mine.entries.try_emplace(entry.name);
    if (!first && seen->second.visible) {
      // A layer that repeats a member: the later copy wins, as it does when extracting.
      figures.shadowed_bytes += seen->second.bytes;
      merged.file_bytes -= seen->second.bytes;
    }
    seen->second = {.directory = entry.type == layer::EntryType::kDirectory,
                    .visible = !upper.Hides(entry.name),
                    .bytes = bytes};
    if (!seen->second.visible) {
      figures.shadowed_bytes += bytes;
      continue;
    }
    merged.file_bytes += bytes;
    ImageFile file{.entry = std::move(entry), .layer = index};
    Status visited = visitor.OnFile(file, regular ? &tar : nullptr);
    if (!visited) return visited.error().Context("'" + file.entry.name + "'");
  }
  // The digests cover every byte: what follows the tar's end marker, and the blob's tail.
  PLINTH_CHECK(tar_stream.Drain());
  PLINTH_CHECK(blob.Drain());
  oci::Digest got_blob = blob.Finish();
  if (got_blob != descriptor.digest)
    return IntegrityError("blob " + descriptor.digest.str() + " holds content whose digest is " +
                          got_blob.str() + "; run `plinth store verify`");
  oci::Digest got_tar = tar_stream.Finish();
  if (got_tar != diff_id)
    return IntegrityError("the layer's content is not what its image says: it unpacks to " +
                          got_tar.str() + ", the image's config names diff_id " + diff_id.str());

  for (auto& [path, seen] : mine.entries) {
    upper.present_.insert(path);
    if (!seen.directory) upper.blocked_.insert(path);
  }
  upper.whiteouts_.merge(mine.whiteouts);
  upper.opaque_.merge(mine.opaque);
  return Ok{};
}

}  // namespace

Result<MergedFigures> WalkMergedFilesystem(const oci::LayoutStore& store, const oci::Image& image,
                                           MergedFileVisitor& visitor) {
  const auto& diff_ids = image.config.diff_ids;
  if (diff_ids.size() != image.layers.size())
    return InvalidInput("the image has " + std::to_string(image.layers.size()) +
                        " layers but its config names " + std::to_string(diff_ids.size()) +
                        " diff_ids");
  MergedFigures merged;
  merged.layers.resize(image.layers.size());
  UpperLayers upper;
  for (size_t i = image.layers.size(); i-- > 0;) {
    Status walked =
        WalkLayer(store, image.layers[i], diff_ids[i], i, upper, visitor, merged.layers[i], merged);
    if (!walked)
      return walked.error().Context("layer " + std::to_string(i + 1) + " of " +
                                    std::to_string(image.layers.size()) + " (" +
                                    image.layers[i].digest.str() + ")");
    merged.wasted_bytes += merged.layers[i].shadowed_bytes;
  }
  return merged;
}

}  // namespace plinth::audit
