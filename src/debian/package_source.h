// PackageSource: where a base build gets its package index and its .debs. Two kinds:
//   - AptPackageSource: Debian's archive through apt-get with plinth's own configuration
//     (signatures checked by apt against debian-archive-keyring);
//   - OfflinePackageSource: a Packages file with its InRelease (or Release + Release.gpg),
//     checked with gpgv, and a folder of .debs, for air-gapped builds.
// Either way a .deb is used only from the sha256-keyed cache, after its hash matched the index.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "debian/apt_driver.h"
#include "debian/deb_cache.h"
#include "debian/package_index.h"
#include "debian/recipe.h"
#include "util/result.h"

namespace plinth::debian {

class PackageSource {
 public:
  virtual ~PackageSource() = default;
  // Loads the index for one architecture (refreshing it first if `refresh` says so).
  virtual Result<PackageIndex> LoadIndex(const std::string& arch, RefreshPolicy refresh) = 0;
  // Makes every package available in the cache (downloading or copying what is missing).
  virtual Status Fetch(const std::string& arch, const std::vector<LockedPackage>& packages) = 0;
  virtual const DebCache& cache() const = 0;
};

// The source a recipe asks for: `index:` (offline), explicit `sources:`, or the suite on the
// system's Debian mirror (or `mirror:` URL).
Result<std::unique_ptr<PackageSource>> MakePackageSource(const Recipe& recipe,
                                                         const std::string& cache_dir);

}  // namespace plinth::debian
