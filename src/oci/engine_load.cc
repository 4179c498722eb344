#include "oci/engine_load.h"

#include <unistd.h>

#include "oci/archive_export.h"
#include "oci/manifest.h"

namespace plinth::oci {
namespace {

std::string WithoutAlgorithm(const std::string& id) {
  return id.starts_with("sha256:") ? id.substr(7) : id;
}

}  // namespace

Result<std::vector<LoadDecision>> DecideLoads(ContainerEngine& engine,
                                              const std::vector<EngineImage>& images) {
  std::vector<LoadDecision> out;
  for (const auto& image : images) {
    PLINTH_TRY(auto id, engine.ImageId(image.name));
    bool present = id && (WithoutAlgorithm(*id) == image.config.hex() ||
                          WithoutAlgorithm(*id) == image.manifest.hex());
    out.push_back({image, present ? LoadAction::kPresent : LoadAction::kLoad});
  }
  return out;
}

Result<EngineImage> StoreEngineImage(const LayoutStore& store, const std::string& name,
                                     const Platform& platform) {
  PLINTH_TRY(auto named, store.Resolve(name));
  PLINTH_TRY(auto descriptor, store.SelectPlatform(named, platform));
  PLINTH_TRY(auto manifest, store.ReadManifest(descriptor.digest));
  return EngineImage{name, platform, descriptor.digest, manifest.config.digest};
}

Result<std::vector<LoadDecision>> LoadIntoEngine(const LayoutStore& store, ContainerEngine& engine,
                                                 const std::vector<EngineImage>& images,
                                                 const std::string& scratch_dir) {
  PLINTH_TRY(auto decisions, DecideLoads(engine, images));
  for (const auto& d : decisions) {
    if (d.action != LoadAction::kLoad) continue;
    std::string archive = scratch_dir + "/image.tar";
    ExportOptions options{.format = ArchiveFormat::kDocker, .name = d.image.name,
                          .platform = d.image.platform};
    auto exported = ExportArchive(store, options, archive);
    if (!exported) return exported.error().Context("exporting " + d.image.name);
    auto loaded = engine.LoadArchive(archive);
    unlink(archive.c_str());
    if (!loaded) return loaded.error().Context(engine.name() + " load of " + d.image.name);
  }
  return decisions;
}

Result<std::string> ChooseEngine(const std::string& requested, bool docker_reachable) {
  if (requested == "podman" || requested == "docker") return requested;
  if (!requested.empty())
    return InvalidInput("--engine '" + requested + "': use podman or docker");
  return std::string(docker_reachable ? "docker" : "podman");
}

}  // namespace plinth::oci
