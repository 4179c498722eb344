// AptDriver: Debian's archive through the machine's own apt-get, with plinth's configuration
// only: a sources list, lists and archive folders under plinth's cache, one architecture, and
// debian-archive-keyring as the only trust anchor (apt checks InRelease signatures itself).
// Nothing of the machine's apt state is read or changed, so any suite and architecture works:
// fetching arm64 packages on amd64 executes nothing from them.
//
//   CACHE/apt/<key>/sources.list    what `Update` fetches (key = arch + sha256 of the sources)
//   CACHE/apt/<key>/lists/          apt's lists folder: InRelease and uncompressed Packages
//   CACHE/apt/<key>/lists.complete  written last by a finished update: "SIZE NAME" of each
//                                   Packages file, so that an update that stopped half-way or
//                                   a truncated file is told from a complete index
//   CACHE/apt/<key>/cache/          apt's archives/ and partial downloads
//   CACHE/apt/<key>/lock            flock: exclusive while `apt-get update` rewrites lists/,
//                                   shared while lists/ is read (index load, `apt-get download`)
//
// Several processes may share one cache (two builds, ctest -j, CI jobs on one volume): the
// first that needs the index fetches it while the others wait on the lock, then all read the
// same one. A killed process's lock is released by the kernel; its half-written lists have no
// lists.complete and are fetched again from scratch, as are lists that no longer match it. The
// cache path may be relative: it is made absolute, since apt-get runs in another folder.
#pragma once

#include <string>
#include <vector>

#include "debian/apt_source.h"
#include "debian/deb_cache.h"
#include "debian/lock_file.h"
#include "debian/package_index.h"
#include "util/result.h"

namespace plinth::debian {

enum class RefreshPolicy {
  kIfMissing,  // run `apt-get update` only when no complete index was fetched yet
  kAlways,     // --update-lock: fetch the current indexes
};

class AptDriver {
 public:
  AptDriver(const std::string& cache_dir, std::vector<AptSource> sources, std::string arch,
            std::string keyring);

  // Fetches the indexes with `apt-get update` (signatures checked by apt) and records them as
  // complete.
  Status Update(RefreshPolicy policy) const;
  // Reads the index the last complete update fetched. A missing, empty or half-written index is
  // an error that says so and names the folder to delete.
  Result<PackageIndex> LoadIndex() const;
  // The Packages files of the last complete update.
  Result<std::vector<std::string>> PackagesFiles() const;
  // Downloads the packages the cache lacks with one `apt-get download`, verifies each against
  // its locked sha256 and adds it to `cache`. A mismatch names the package; nothing is adopted
  // for it. Packages another process downloads meanwhile are not downloaded again.
  Status Download(const std::vector<LockedPackage>& packages, const DebCache& cache) const;

  // Records the Packages files now in lists/ as one complete index: what Update does once
  // `apt-get update` succeeded.
  Status SealLists() const;

  const std::string& root() const { return root_; }
  // "bookworm/amd64": the first source's suite and the architecture.
  std::string Name() const;

 private:
  std::vector<std::string> BaseArgs(const std::string& program) const;
  Status WriteConfig() const;
  // The recorded Packages files, checked against what is on disk; call with the lock held.
  Result<std::vector<std::string>> CompleteLists() const;
  Error Unreadable(const Error& cause) const;

  std::vector<AptSource> sources_;
  std::string arch_;
  std::string keyring_;
  std::string root_;
};

}  // namespace plinth::debian
