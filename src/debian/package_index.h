// PackageIndex: the binary packages one architecture can install, read from Packages files
// (what `apt-get update` fetched into plinth's lists folder, or a file given for air-gapped
// builds). Holds every version of every package for the target architecture and `all`, plus
// a map from virtual names to the packages that Provide them. Only the fields the resolver,
// the fetcher and the status.d records need are kept; the paragraph itself is not.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "debian/dependency.h"
#include "debian/dpkg_version.h"
#include "util/result.h"

namespace plinth::debian {

enum class MultiArch { kNo, kSame, kForeign, kAllowed };

struct PackageRecord {
  std::string name;
  DpkgVersion version;
  std::string architecture;  // the target architecture or "all"
  MultiArch multi_arch = MultiArch::kNo;
  bool essential = false;
  std::string priority;
  std::string source;        // source package name (without version)
  std::vector<DependencyGroup> depends;      // Pre-Depends first, then Depends
  std::vector<DependencyAtom> provides;
  std::vector<DependencyAtom> conflicts;     // Conflicts and Breaks
  std::string filename;      // pool path relative to the archive root
  std::string sha256;
  uint64_t size = 0;
  std::string origin;        // the Packages file this came from (for errors)

  std::string Id() const { return name + " " + version.str() + " " + architecture; }
};

class PackageIndex {
 public:
  explicit PackageIndex(std::string architecture) : architecture_(std::move(architecture)) {}

  // Adds every paragraph of a Packages file whose Architecture is ours or "all".
  Status LoadFile(const std::string& path);
  void Add(PackageRecord record);

  const std::string& architecture() const { return architecture_; }
  // All versions of a real package, highest first.
  const std::vector<PackageRecord>* Versions(std::string_view name) const;
  // Packages that Provide `name` (any version), in name order.
  std::vector<const PackageRecord*> Providers(std::string_view name) const;
  // The record with exactly this name and version, or nullptr.
  const PackageRecord* Find(std::string_view name, const DpkgVersion& version) const;
  size_t size() const { return count_; }

 private:
  std::string architecture_;
  std::map<std::string, std::vector<PackageRecord>, std::less<>> packages_;
  // virtual name -> (package name, version) pairs; resolved to records on lookup.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>, std::less<>> provides_;
  size_t count_ = 0;
};

}  // namespace plinth::debian
