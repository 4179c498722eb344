// ImageSource: where the stage engine gets the images a Dockerfile names (FROM, COPY --from,
// RUN --mount from=). Implementations are tried in order by ChainedImageSource: fleet targets
// built earlier in this run and images already in the store, then a registry pull, then a
// Debian recipe. A source that does not know a reference returns kNotFound so the next is tried.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "oci/image.h"
#include "oci/layout_store.h"

namespace plinth::builder {

struct ResolvedImage {
  std::string name;          // the reference as the Dockerfile wrote it (after expansion)
  oci::Descriptor manifest;  // the platform-specific manifest in the store
  oci::Image image;
};

class ImageSource {
 public:
  virtual ~ImageSource() = default;
  // Brings `ref` for `platform` into the store (if it is not there) and returns it.
  virtual Result<ResolvedImage> Resolve(const std::string& ref, const oci::Platform& platform) = 0;
};

// Images already in the store, by name (fleet targets are tagged there as they finish).
class StoreImageSource : public ImageSource {
 public:
  explicit StoreImageSource(const oci::LayoutStore& store) : store_(store) {}
  Result<ResolvedImage> Resolve(const std::string& ref, const oci::Platform& platform) override;

 private:
  const oci::LayoutStore& store_;
};

// Tries each source in order; the first that does not answer kNotFound wins. When all say
// kNotFound, the error names every place that was looked in.
class ChainedImageSource : public ImageSource {
 public:
  void Add(std::shared_ptr<ImageSource> source, std::string description);
  Result<ResolvedImage> Resolve(const std::string& ref, const oci::Platform& platform) override;

 private:
  std::vector<std::pair<std::shared_ptr<ImageSource>, std::string>> sources_;
};

}  // namespace plinth::builder
