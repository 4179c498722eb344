#include "debian/package_pinner.h"

#include "debian/installed_packages.h"

namespace plinth::debian {

Result<PinnedPackages> PinPackages(const Recipe& recipe, const std::string& arch,
                                   PackageSource& source, const LockFile& lock, LockUpdate update,
                                   const std::vector<PresentPackage>& present) {
  PinnedPackages out;
  std::string inputs =
      recipe.ResolutionInputs(arch, recipe.from.empty() ? "" : InstalledDigest(present));
  const LockSection* locked = lock.Find(recipe.name, arch);
  if (locked && locked->inputs == inputs && update == LockUpdate::kKeep) {
    out.section = *locked;
    return out;
  }
  std::string where = "resolving recipe " + recipe.name + " for " + arch;
  auto index = source.LoadIndex(arch, update == LockUpdate::kUpdate ? RefreshPolicy::kAlways
                                                                    : RefreshPolicy::kIfMissing);
  if (!index) return index.error().Context(where);
  ResolveOptions options;
  options.roots = recipe.packages;
  options.excludes = recipe.excludes;
  options.essential = recipe.essential;
  options.present = present;
  auto resolution = Resolve(*index, options);
  if (!resolution) return resolution.error();
  out.from = PinnedPackages::From::kResolver;
  out.section.inputs = inputs;
  for (const PackageRecord* r : resolution->packages) {
    if (r->sha256.size() != 64 || r->filename.empty())
      return IntegrityError(where + ": index entry of " + r->Id() + " in " + r->origin +
                            " has no SHA256 or Filename");
    out.section.packages.push_back(
        {r->name, r->version.str(), r->architecture, r->sha256, r->size, r->filename});
  }
  out.resolution = std::move(*resolution);
  return out;
}

}  // namespace plinth::debian
