// FleetBuilder: the TargetRunner that builds one target of a BuildPlan into the store, the
// first way that applies:
//   cache hit   — the target's cache key is recorded in the store and its image is there:
//                 the image is tagged, nothing is built;
//   recipe      — a Debian recipe (custom base, or an upstream image the fleet maps to one);
//   rebase      — a target with RUN stages whose only changed input is its final stage's base
//                 image: the previous image is moved onto the new base (ImageRebaser), no stage
//                 runs again, unless the image is marked unsafe to rebase (RebaseSafety);
//   native      — Dockerfile stages without RUN, through the StageEngine;
//   backend     — stages that RUN, through a StageBackend (buildah by default), imported back
//                 into the store.
// Every Dockerfile image records its base (org.opencontainers.image.base.name/.digest) and, when
// its own layers depend on the base's files, why it must not be rebased.
// Cache records (STORE/plinth/cache/):
//   keys/<key hex>          → the manifest digest built for that key ("sha256:…\n")
//   targets/<name@os-arch>  → the last CacheKey::ToJson() of a target, for `plan --explain`
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "builder/build_progress.h"
#include "builder/executor.h"
#include "builder/image_source.h"
#include "builder/rootfs_cache.h"
#include "builder/stage_backend.h"
#include "fleet/fleet.h"
#include "oci/layout_store.h"
#include "plan/build_plan.h"
#include "plan/cache_key.h"
#include "registry/registry_context.h"

namespace plinth::builder {

enum class CacheMode { kUse, kIgnore };

struct FleetBuildOptions {
  CacheMode cache = CacheMode::kUse;
  // --push: each target's image goes to the registry its name says, and its cache key is
  // recorded there (registry::RemoteCache), so another machine can skip it.
  bool push = false;
  // --cache-from REGISTRY (host[:port]): a target missing locally whose key that registry has
  // recorded (same repository path) is pulled instead of built.
  std::string cache_from;
  registry::RegistryContext* registries = nullptr;  // required for push and cache_from
  int64_t timestamp = 0;
  std::string debian_cache_dir;  // apt lists and .debs
  // What builds the stages that RUN: one of kStageBackendNames.
  std::string backend{kDefaultStageBackend};
  BuildProgress* progress = nullptr;  // steps and bytes of each target, for a live view
};

// What the builder learned about each target, for the summary and the build records.
struct TargetReport {
  std::string cache_key;
  std::string image_digest;
  int64_t size = 0;
  int layers = 0;
  std::string note;  // how it was made when that is worth saying ("rebased onto …")
};

class FleetBuilder : public TargetRunner {
 public:
  FleetBuilder(const fleet::Fleet& fleet, const plan::BuildPlan& plan,
               const oci::LayoutStore& store, std::shared_ptr<ImageSource> upstream,
               FleetBuildOptions options);

  Result<TargetOutcome> Run(plan::TargetId id, const std::atomic<bool>& cancelled) override;
  TargetReport Report(plan::TargetId id) const;
  std::string Note(plan::TargetId id) const override { return Report(id).note; }

  // The key of a target whose needs are built (for plan --explain, which computes it without
  // building).
  Result<plan::CacheKey> ComputeKey(plan::TargetId id);
  // The key recorded by the previous build of the target, if any.
  std::optional<plan::CacheKey> PreviousKey(plan::TargetId id) const;
  // The image recorded for a key, if it is still in the store.
  std::optional<oci::Descriptor> CachedImage(const plan::CacheKey& key) const;

 private:
  Result<oci::Descriptor> BuildRecipe(const plan::TargetSpec& spec);
  Result<oci::Descriptor> BuildDockerfile(const plan::TargetSpec& spec);
  // The final image with its base and rebase-safety annotations (rewritten only if they differ).
  Result<ResolvedImage> RecordBase(const plan::TargetSpec& spec, ResolvedImage result);
  // The previous image of the target moved onto its new base, when that is all that changed.
  std::optional<oci::Descriptor> RebasePrevious(plan::TargetId id, const plan::CacheKey& key,
                                                std::string* note);
  Status RecordKey(plan::TargetId id, const plan::CacheKey& key, const oci::Descriptor& image);
  // The image for `key` from the --cache-from registry, pulled into the store; nullopt on a miss.
  Result<std::optional<oci::Descriptor>> FetchRemote(const plan::TargetSpec& spec,
                                                     const plan::CacheKey& key);
  Status Push(const plan::TargetSpec& spec, const plan::CacheKey& key, const oci::Descriptor& image);
  std::string TargetFile(plan::TargetId id) const;
  // Whether the backend can build, asked once per build (the first time a stage RUNs).
  Status BackendReady();

  const fleet::Fleet& fleet_;
  const plan::BuildPlan& plan_;
  const oci::LayoutStore& store_;
  std::shared_ptr<ImageSource> images_;
  FleetBuildOptions options_;
  RootfsCache rootfs_;
  Result<std::unique_ptr<StageBackend>> backend_;
  std::once_flag backend_checked_;
  Status backend_ready_;
  mutable std::mutex mu_;
  std::map<plan::TargetId, TargetReport> reports_;
};

}  // namespace plinth::builder
