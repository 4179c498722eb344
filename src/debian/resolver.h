// Resolver: picks the set of packages a base image installs, the way a distroless build
// does: from the roots a recipe names, follow Pre-Depends and Depends (alternatives in order,
// version relations, Provides for virtual names, `:any`/`:native` qualifiers), one version per
// package, the highest that satisfies every relation seen. Nothing here runs maintainer
// scripts, so dependencies on excluded packages (dpkg, apt, perl-base, shells, debconf) and,
// unless asked, on Essential packages are taken as satisfied and left out.
//
// When a relation cannot be met, the error names the chain of packages that led to it
// ("python3 -> python3.11 -> libpython3.11-stdlib (= 9) : only 3.11.2-6 exists"). Conflicts
// and Breaks between selected packages are refused the same way.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "debian/package_index.h"
#include "util/result.h"

namespace plinth::debian {

enum class EssentialPolicy {
  kSatisfied,  // dependencies on Essential packages are taken as met (distroless behaviour)
  kInstall,    // Essential packages are followed like any other
};

// A package the image underneath already has (a recipe's `from`): relations it meets are met,
// and it is never installed again.
struct PresentPackage {
  std::string name;
  DpkgVersion version;
  std::vector<DependencyAtom> provides;
};

struct ResolveOptions {
  std::vector<std::string> roots;  // "name" or "name=version"
  std::set<std::string> excludes;  // never installed; dependencies on them count as met
  EssentialPolicy essential = EssentialPolicy::kSatisfied;
  std::vector<PresentPackage> present;  // in the image underneath (a layered recipe)
};

struct Resolution {
  std::vector<const PackageRecord*> packages;  // sorted by name
  std::set<std::string> dropped;               // excluded or Essential names a dependency named
  std::set<std::string> present;               // packages of the image underneath a relation used
  std::map<std::string, std::string> why;      // package -> chain that pulled it in
};

Result<Resolution> Resolve(const PackageIndex& index, const ResolveOptions& options);

}  // namespace plinth::debian
