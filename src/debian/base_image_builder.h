// BuildBaseImage: `plinth base build` as a library call. For each architecture of a recipe:
// pin the packages (lock or resolver), fetch and verify them into the sha256-keyed cache,
// assemble the root filesystem into one layer in the store (gzip unless the recipe says
// otherwise), and write the image config and manifest; several architectures become one OCI
// index. The lock file is written and the reference tagged only after every image is in the
// store, so a failed build (a bad sha256, a corrupt .deb, a foreign ELF file) changes nothing a
// user can see.
//
// A recipe with `from:` is a layer, not a base of its own: the image it names is read from the
// store (a fleet base built before it), its status.d records say which packages it has, only
// the rest is resolved and unpacked, and the result is that image's layers plus one, with its
// config kept and the recipe's settings applied over it.
#pragma once

#include <string>
#include <vector>

#include "debian/package_pinner.h"
#include "debian/recipe.h"
#include "oci/descriptor.h"
#include "oci/layout_store.h"
#include "util/result.h"

namespace plinth::debian {

struct BaseBuildOptions {
  std::string cache_dir;                   // apt lists and .debs; may be shared between stores
                                           // and processes (see apt_driver.h, deb_cache.h)
  std::string lock_path;                   // plinth.lock
  LockUpdate lock_update = LockUpdate::kKeep;
  std::vector<std::string> architectures;  // empty: the recipe's
  std::string tag;                         // empty: "<recipe name>:latest"
  int jobs = 0;                            // 0: all cores
  int64_t source_date_epoch = 0;
};

struct ArchBuild {
  std::string arch;
  oci::Descriptor manifest;
  oci::Descriptor layer;
  uint64_t uncompressed_size = 0;
  size_t packages = 0;
  size_t entries = 0;
  std::string lock_digest;
  std::vector<std::string> dropped;  // names left out as excluded/Essential (when resolved)
};

struct BaseBuildResult {
  std::string tag;
  oci::Descriptor descriptor;  // index (several architectures) or manifest
  std::vector<ArchBuild> builds;
  bool lock_written = false;
};

Result<BaseBuildResult> BuildBaseImage(const Recipe& recipe, const oci::LayoutStore& store,
                                       const BaseBuildOptions& options);

}  // namespace plinth::debian
