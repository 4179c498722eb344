// `plinth load`: putting store images into a local container engine (podman's storage or a
// docker daemon) so that compose can run them, as `docker buildx bake --load` does. The engine
// is an interface, so which images are loaded and which are already there is decided here,
// testably, and the commands that drive podman or docker live in the cli.
//
// An image is already there when the engine's image ID for its name is the image's config
// digest (podman, docker's classic store) or its manifest digest (docker's containerd store);
// a name that is there with another ID is loaded again, which moves the name to the new image.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oci/digest.h"
#include "oci/layout_store.h"

namespace plinth::oci {

class ContainerEngine {
 public:
  virtual ~ContainerEngine() = default;
  virtual std::string name() const = 0;  // "podman", "docker"
  // The engine's ID of the image it has under `image` ("sha256:HEX" or HEX); nullopt if none.
  virtual Result<std::optional<std::string>> ImageId(const std::string& image) = 0;
  // Loads a docker-archive (which names the image and keeps its config digest).
  virtual Status LoadArchive(const std::string& archive_path) = 0;
};

struct EngineImage {
  std::string name;  // "pickme/lucid-redis:latest-amd64", the name in the store and the engine
  Platform platform;  // the image's platform, picked from an index under `name`
  Digest manifest;
  Digest config;
};

enum class LoadAction { kLoad, kPresent };

struct LoadDecision {
  EngineImage image;
  LoadAction action = LoadAction::kLoad;
};

// Which of `images` the engine lacks (asks the engine only, changes nothing).
Result<std::vector<LoadDecision>> DecideLoads(ContainerEngine& engine,
                                              const std::vector<EngineImage>& images);

// The image `name` of the store for one platform (its manifest, or its member of an index).
Result<EngineImage> StoreEngineImage(const LayoutStore& store, const std::string& name,
                                     const Platform& platform);

// Loads what DecideLoads says is missing, each exported from the store as a docker-archive into
// `scratch_dir` (removed after each load); returns the decisions taken.
Result<std::vector<LoadDecision>> LoadIntoEngine(const LayoutStore& store, ContainerEngine& engine,
                                                 const std::vector<EngineImage>& images,
                                                 const std::string& scratch_dir);

// `--engine`: "podman" or "docker" as given; "" picks docker when its daemon answers on its
// socket, else podman.
Result<std::string> ChooseEngine(const std::string& requested, bool docker_reachable);

}  // namespace plinth::oci
