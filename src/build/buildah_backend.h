// BuildahBackend: builds a Dockerfile stage that RUNs commands with `buildah build` (daemonless,
// from Debian), reading its base straight from plinth's store (`FROM oci:STORE:NAME`), then
// imports the result back into the store, verified blob by blob, so the rest of the target
// continues natively. buildah runs with runc and lowered ulimits through a containers.conf that
// plinth writes under STORE/plinth/containers/ (unless CONTAINERS_CONF is already set), and with
// its own storage there, so it neither needs nor touches the machine's container setup.
#pragma once

#include <string>

#include "build/image_source.h"
#include "dockerfile/stage_graph.h"
#include "oci/layout_store.h"

namespace plinth::build {

struct BackendStageRequest {
  const dockerfile::StageGraph* graph;
  int stage;
  std::string base_name;  // the base image's name in the store; "" for scratch
  std::string context_dir;
  std::map<std::string, std::string> build_args;
  oci::Platform platform;
};

class BuildahBackend {
 public:
  explicit BuildahBackend(const oci::LayoutStore& store) : store_(store) {}
  // The stage's image, imported into the store (manifest descriptor and image value).
  Result<ResolvedImage> BuildStage(const BackendStageRequest& request);

 private:
  std::map<std::string, std::string> Environment();
  const oci::LayoutStore& store_;
};

}  // namespace plinth::build
