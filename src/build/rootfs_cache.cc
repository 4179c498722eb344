#include "build/rootfs_cache.h"

#include <unistd.h>

#include <cstdio>

#include "layer/layer_extractor.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth::build {

Result<std::string> RootfsCache::Materialize(const oci::Image& image) {
  Sha256 chain;
  for (const auto& d : image.config.diff_ids) chain.Update(d.str() + "\n");
  std::string dir = store_.dir() + "/plinth/rootfs/" + chain.FinishHex();
  std::lock_guard lock(mu_);
  if (IsDirectory(dir)) return dir;
  PLINTH_CHECK(MakeDirs(store_.dir() + "/plinth/rootfs"));
  std::string temp = dir + ".tmp." + std::to_string(getpid());
  (void)RemoveAll(temp);
  PLINTH_CHECK(MakeDirs(temp));
  layer::ExtractOptions options{.ownership = geteuid() == 0 ? layer::OwnershipPolicy::kPreserve
                                                            : layer::OwnershipPolicy::kCurrentUser};
  for (const auto& l : image.layers) {
    auto blob = store_.OpenBlob(l.digest);
    if (!blob) {
      (void)RemoveAll(temp);
      return blob.error();
    }
    auto stats = layer::ExtractLayer(*blob, temp, options);
    if (!stats) {
      (void)RemoveAll(temp);
      return stats.error().Context("unpacking layer " + l.digest.str());
    }
  }
  if (rename(temp.c_str(), dir.c_str()) != 0) {
    // Another process unpacked the same chain first: use theirs.
    (void)RemoveAll(temp);
    if (!IsDirectory(dir)) return ErrnoError("publishing " + dir, errno);
  }
  return dir;
}

}  // namespace plinth::build
