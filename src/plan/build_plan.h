// BuildPlan: the fleet turned into targets, one per (image × platform), with the edges between
// them taken from the Dockerfiles themselves (every FROM and COPY --from / RUN --mount from=
// that names an image the fleet builds), from upstream images the fleet builds from a local
// Debian recipe, and from the manifest's declared `needs` — never from a hand-written list.
// Group phases add no edges: application services that need nothing build in parallel with the
// bases, as the seed wants; the executor starts the longest remaining chain first.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dockerfile/dockerignore.h"
#include "dockerfile/stage_graph.h"
#include "fleet/fleet.h"
#include "oci/platform.h"
#include "plan/target_graph.h"

namespace plinth::plan {

enum class TargetSource {
  kDockerfile,      // a base or service built from its Dockerfile
  kRecipe,          // a base built from a Debian recipe
  kUpstreamRecipe,  // an upstream image (e.g. gcr.io/distroless/…) the fleet builds from a recipe
};

struct TargetSpec {
  TargetSource source = TargetSource::kDockerfile;
  const fleet::Target* target = nullptr;  // null for kUpstreamRecipe
  std::string name;                       // "api-gateway", or the upstream reference
  oci::Platform platform;
  std::string image;        // store name: "pickme/lucid-api-gateway:latest-arm64"
  std::string dockerfile;   // absolute path (kDockerfile)
  std::string context;      // absolute path (kDockerfile)
  std::string recipe;       // absolute path (kRecipe, kUpstreamRecipe)
  // kUpstreamRecipe: the USER the upstream variant sets, "" for the recipe's own ("65532" for
  // distroless's `:nonroot` tags).
  std::string user;
  std::map<std::string, std::string> build_args;
  // `plinth build --target STAGE`: the stage built instead of the last ("" = the last).
  std::string target_stage;
  std::shared_ptr<const dockerfile::StageGraph> stages;    // kDockerfile
  std::shared_ptr<const dockerfile::DockerIgnore> ignore;  // kDockerfile
  std::string ignore_file;  // the .dockerignore in force, relative to the fleet; "" if none
  // Images this target reads that a fleet target builds: reference → that target.
  std::map<std::string, TargetId> fleet_images;
  // External images this target reads that no target provides (pulled or found in the store).
  std::vector<std::string> external_images;
};

// A fleet image selected for several platforms: after its targets are built, they are joined
// under one multi-platform name as an OCI image index (as `docker buildx --platform a,b` does).
struct PlatformIndexSpec {
  std::string name;               // the fleet target, "api-gateway"
  std::string image;              // store name of the index: "pickme/lucid-api-gateway:latest"
  std::vector<TargetId> members;  // one selected target per platform, ordered by platform
};

struct BuildPlan {
  TargetGraph graph;
  std::vector<TargetSpec> specs;  // indexed by TargetId
  std::set<TargetId> selected;    // what was asked for, closed under needs
  std::vector<PlatformIndexSpec> indexes;  // fleet images with 2+ selected platforms
};

struct PlanOptions {
  std::vector<std::string> platforms;  // empty: each target's own (the fleet's)
  std::vector<std::string> targets;    // empty: every target
  // `--build-arg K=V`: override plinth.yaml's build_args and the Dockerfile's ARG defaults, as
  // `docker build --build-arg` does, for the targets named in `targets` (every target of the
  // fleet when none is named); the targets they need keep their own.
  std::map<std::string, std::string> build_args;
  // `--target STAGE`: the stage of the one target named in `targets` that is built instead of
  // its last stage; with no or several targets named, or no such stage, it is an error.
  std::string target_stage;
};

// "K=V" flags (`--build-arg`) as a map, the last value of a name winning; exit 2 for a flag
// without '=' or with an empty name.
Result<std::map<std::string, std::string>> ParseBuildArgs(const std::vector<std::string>& flags);

Result<BuildPlan> MakePlan(const fleet::Fleet& fleet, const PlanOptions& options);

}  // namespace plinth::plan
