// AptDriver: Debian's archive through the machine's own apt-get, with plinth's configuration
// only: a sources list, lists and archive folders under plinth's cache, one architecture, and
// debian-archive-keyring as the only trust anchor (apt checks InRelease signatures itself).
// Nothing of the machine's apt state is read or changed, so any suite and architecture works:
// fetching arm64 packages on amd64 executes nothing from them.
//
//   CACHE/apt/<key>/sources.list    what `Update` fetches (key = sha256 of sources + arch)
//   CACHE/apt/<key>/lists/          apt's lists folder: InRelease and uncompressed Packages
//   CACHE/apt/<key>/cache/          apt's archives/ and partial downloads
#pragma once

#include <string>
#include <vector>

#include "debian/apt_source.h"
#include "debian/deb_cache.h"
#include "debian/lock_file.h"
#include "util/result.h"

namespace plinth::debian {

enum class RefreshPolicy {
  kIfMissing,  // run `apt-get update` only when no lists were fetched yet
  kAlways,     // --update-lock: fetch the current indexes
};

class AptDriver {
 public:
  AptDriver(std::string cache_dir, std::vector<AptSource> sources, std::string arch,
            std::string keyring);

  // Fetches the indexes with `apt-get update` (signatures checked by apt).
  Status Update(RefreshPolicy policy) const;
  // The Packages files apt fetched for our architecture.
  Result<std::vector<std::string>> PackagesFiles() const;
  // Downloads the packages the cache lacks with one `apt-get download`, verifies each against
  // its locked sha256 and adds it to `cache`. A mismatch names the package; nothing is adopted
  // for it.
  Status Download(const std::vector<LockedPackage>& packages, const DebCache& cache) const;

  const std::string& root() const { return root_; }

 private:
  std::vector<std::string> BaseArgs(const std::string& program) const;
  Status WriteConfig() const;

  std::vector<AptSource> sources_;
  std::string arch_;
  std::string keyring_;
  std::string root_;
};

}  // namespace plinth::debian
