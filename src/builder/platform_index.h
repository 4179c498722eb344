// Platform indexes: after a build, each fleet image built for several platforms is joined
// under its multi-platform name (plinth.yaml `index:`) as an OCI image index whose manifests
// are the per-platform images, with their platforms, as `docker buildx build --platform a,b`
// produces. The per-platform tags stay. Manifests are listed in platform order and the index
// carries no timestamp, so the same per-platform images always give the same index digest.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "builder/executor.h"
#include "builder/fleet_builder.h"
#include "oci/layout_store.h"
#include "plan/build_plan.h"
#include "registry/registry_context.h"

namespace plinth::builder {

struct PlatformImage {
  oci::Platform platform;
  oci::Digest manifest;  // in the store
};

// Writes the index of `images` into the store and tags it `name`.
Result<oci::Descriptor> WritePlatformIndex(const oci::LayoutStore& store, const std::string& name,
                                           std::vector<PlatformImage> images);

// What became of one multi-platform image of a build.
struct IndexResult {
  const plan::PlatformIndexSpec* spec = nullptr;
  std::optional<oci::Descriptor> index;  // written and tagged (and pushed, if asked)
  std::vector<std::string> platforms;    // of the manifests it lists
  std::string detail;  // why there is no index ("linux/arm64 failed"), or what failed
  bool failed = false;                   // writing or pushing failed (not: a platform missing)
};

// Writes the index of every PlatformIndexSpec of `plan` whose targets all succeeded in
// `results`; one missing platform (failed, skipped, not reached) means no index for that image.
// With `pusher`, each index written is pushed to its destination too (after its manifests,
// which the targets' own pushes put there).
std::vector<IndexResult> JoinPlatformImages(const oci::LayoutStore& store,
                                            const plan::BuildPlan& plan,
                                            const std::vector<TargetResult>& results,
                                            const FleetBuilder& builder,
                                            FleetPusher* pusher);

}  // namespace plinth::builder
