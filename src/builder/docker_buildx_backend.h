// DockerBuildxBackend: builds a stage that RUNs with `docker buildx build` (BuildKit), as
// buildx's CLI documents it (https://docs.docker.com/reference/cli/docker/buildx/build/):
//   --build-context plinth-stage-base=oci-layout://STORE@sha256:…
//       the stage's base, read by buildx straight from plinth's store (an OCI image layout), the
//       Dockerfile text saying `FROM plinth-stage-base`; nothing is pulled;
//   --output type=oci,dest=WORK/stage.tar   the result as an OCI tarball, which plinth imports
//       into its store verified blob by blob (registry::ImportOciArchive);
//   --provenance=false --sbom=false          a plain image, no attestation manifests.
// It needs the buildx plugin (`docker buildx version`) and a builder that can export OCI
// tarballs: the docker-container driver (`docker buildx create --use`) or a Docker daemon with
// the containerd image store. CheckAvailable asks `docker buildx inspect --bootstrap`, which
// fails when no daemon or builder can be reached.
#pragma once

#include "builder/stage_backend.h"

namespace plinth::builder {

class DockerBuildxBackend : public StageBackend {
 public:
  explicit DockerBuildxBackend(const oci::LayoutStore& store) : store_(store) {}
  std::string_view name() const override { return "docker-buildx"; }
  Status CheckAvailable() override;
  Result<ResolvedImage> BuildStage(const BackendStageRequest& request) override;

 private:
  const oci::LayoutStore& store_;
};

}  // namespace plinth::builder
