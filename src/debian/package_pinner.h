// PinPackages: decides the exact packages of one recipe × architecture. With a lock section
// whose inputs match the recipe, the lock is the answer and no index is read (the next build
// is identical, even offline); otherwise, or with --update-lock, the index is loaded, the
// resolver runs and a new section is returned for the caller to save.
#pragma once

#include <string>

#include "debian/lock_file.h"
#include "debian/package_source.h"
#include "debian/recipe.h"
#include "debian/resolver.h"
#include "util/result.h"

namespace plinth::debian {

enum class LockUpdate { kKeep, kUpdate };

struct PinnedPackages {
  LockSection section;
  enum class From { kLock, kResolver } from = From::kLock;
  Resolution resolution;  // filled when resolved
};

// `present`: the packages of the image a layered recipe (`from:`) goes on; they are part of the
// lock's inputs, so a base that changes what it has re-resolves the layer.
Result<PinnedPackages> PinPackages(const Recipe& recipe, const std::string& arch,
                                   PackageSource& source, const LockFile& lock, LockUpdate update,
                                   const std::vector<PresentPackage>& present = {});

}  // namespace plinth::debian
