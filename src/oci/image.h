// Image: one platform's image as a value (config + layer descriptors + manifest annotations),
// read from a store or started empty (FROM scratch). Mutations return a new Image, in the
// spirit of go-containerregistry's `mutate`; nothing is written until WriteImage().
#pragma once

#include <map>
#include <string>
#include <vector>

#include "oci/image_config.h"
#include "oci/layout_store.h"

namespace plinth::oci {

struct Image {
  ImageConfig config;
  std::vector<Descriptor> layers;
  std::map<std::string, std::string> annotations;
};

// An empty image for `platform` ("FROM scratch"): no layers, created at `timestamp`.
Image ScratchImage(const Platform& platform, int64_t timestamp);

// The image a manifest descriptor names.
Result<Image> ReadImage(const LayoutStore& store, const Descriptor& manifest);

// `name` resolved in the store, for `platform` if it is an index.
Result<Image> ReadImage(const LayoutStore& store, const std::string& name, const Platform& platform,
                        Descriptor* manifest = nullptr);

// Returns `image` with one more layer on top, its diff_id and a history entry.
Image AppendLayer(Image image, const Descriptor& layer, const Digest& diff_id,
                  HistoryEntry history);

// Returns `image` with a history entry for a change that adds no layer (ENV, USER, …).
Image AppendEmptyHistory(Image image, HistoryEntry history);

// Stores config and manifest; returns the manifest descriptor (with platform set).
Result<Descriptor> WriteImage(const LayoutStore& store, const Image& image);

// The timestamp images are stamped with: --timestamp if given (>= 0), else SOURCE_DATE_EPOCH,
// else 0 (reproducible by default, as ko and apko are).
Result<int64_t> BuildTimestamp(int64_t flag_value = -1);

}  // namespace plinth::oci
