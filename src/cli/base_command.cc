// `plinth base build RECIPE|NAME`: a distroless-style base image straight from Debian packages
// (see debian/base_image_builder.h). RECIPE is a YAML file; NAME finds bases/NAME.yaml next to
// the fleet manifest or in the current folder. The lock defaults to plinth.lock beside the
// recipe, the package cache to $PLINTH_DEBIAN_CACHE or STORE/plinth/debian.
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "debian/base_image_builder.h"
#include "debian/recipe.h"
#include "oci/layout_store.h"
#include "util/fs.h"

namespace plinth::cli {
namespace {

struct BaseBuildArgs {
  std::string recipe;
  std::string archs;
  std::string tag;
  std::string lock;
  std::string cache;
  bool update_lock = false;
  int jobs = 0;
};

std::string Dir(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

Result<std::string> FindRecipe(const std::string& arg, const GlobalOptions& global) {
  if (PathExists(arg) && !IsDirectory(arg)) return arg;
  std::vector<std::string> candidates;
  std::string fleet = global.FleetPath();
  if (!fleet.empty()) candidates.push_back(Dir(fleet) + "/bases/" + arg + ".yaml");
  candidates.push_back("bases/" + arg + ".yaml");
  candidates.push_back("examples/lucid/bases/" + arg + ".yaml");
  for (const auto& c : candidates) {
    if (PathExists(c)) return c;
  }
  std::string tried;
  for (const auto& c : candidates) tried += " " + c;
  return NotFound("finding recipe '" + arg + "': not a file, and none of" + tried + " exists");
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Status Run(const BaseBuildArgs& args, const GlobalOptions& global) {
  PLINTH_TRY(std::string path, FindRecipe(args.recipe, global));
  PLINTH_TRY(debian::Recipe recipe, debian::LoadRecipeFile(path));
  PLINTH_TRY(oci::LayoutStore store, global.OpenStoreForWriting());
  debian::BaseBuildOptions options;
  options.lock_path = args.lock.empty() ? Dir(path) + "/plinth.lock" : args.lock;
  options.cache_dir = args.cache;
  if (options.cache_dir.empty()) options.cache_dir = DebianCacheDir(store.dir() + "/plinth/debian");
  options.lock_update = args.update_lock ? debian::LockUpdate::kUpdate : debian::LockUpdate::kKeep;
  options.architectures = SplitComma(args.archs);
  options.tag = args.tag;
  options.jobs = args.jobs;
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch)
    options.source_date_epoch = std::strtoll(epoch, nullptr, 10);
  PLINTH_TRY(debian::BaseBuildResult result, debian::BuildBaseImage(recipe, store, options));
  for (const auto& b : result.builds) {
    std::cout << recipe.name << " " << b.arch << ": " << b.packages << " packages, " << b.entries
              << " entries, layer " << b.layer.size << " bytes (" << b.uncompressed_size
              << " uncompressed), manifest " << b.manifest.digest.str() << "\n";
  }
  std::cout << "tagged " << result.tag << " -> " << result.descriptor.digest.str() << "\n";
  if (result.lock_written) std::cout << "wrote " << options.lock_path << "\n";
  return Ok{};
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* base = app.add_subcommand("base", "Distroless-style base images from Debian packages");
  base->require_subcommand(1);
  auto args = std::make_shared<BaseBuildArgs>();
  auto* build = base->add_subcommand("build", "Build a base image from a recipe");
  build->add_option("recipe", args->recipe, "recipe file, or NAME for bases/NAME.yaml")->required();
  build->add_option("--arch", args->archs, "architectures, comma-separated (default: the recipe's)");
  build->add_option("-t,--tag", args->tag, "reference to tag in the store (default: NAME:latest)");
  build->add_option("--lock", args->lock, "lock file (default: plinth.lock beside the recipe)");
  build->add_option("--cache", args->cache, "package cache (default: $PLINTH_DEBIAN_CACHE or STORE/plinth/debian)");
  build->add_flag("--update-lock", args->update_lock, "re-resolve against the current archive");
  build->add_option("-j,--jobs", args->jobs, "threads (default: all cores)");
  build->callback([args, &global] {
    auto status = Run(*args, global);
    if (!status) global.exit_code = ReportError(status.error());
  });
}

const bool kRegistered = RegisterCommand(300, Setup);

}  // namespace
}  // namespace plinth::cli
