// FleetBuilder: the TargetRunner that makes one target of a BuildPlan in the store. First its
// cache key (plan/target_key.h, read through StoreKeySources; a base image the store lacks is
// brought in first, as the build needs it anyway), then the first way that applies:
//   cached   — the key is recorded (plan::CacheRecords) and its image is whole in the store:
//              the image is tagged, nothing is built;
//   fetched  — --cache-from: that registry has recorded the key; the image is pulled;
//   rebased  — a target with RUN stages whose only changed input is its final stage's base
//              image: the previous image is moved onto the new base (ImageRebaser), no stage
//              runs again, unless the image is marked unsafe to rebase (RebaseSafety);
//   built    — a Debian recipe (custom base, or an upstream image the fleet maps to one), or
//              Dockerfile stages through the StageEngine; with --backend native (the default)
//              their RUN steps run natively too (runc over overlay snapshots, a cache per step),
//              unless this machine cannot (the runner's CheckAvailable, asked once per build):
//              then RUN stages go to buildah when it is available, said in the progress and the
//              target's note ("native RUN unavailable: …; built with buildah"), else the target
//              fails naming why. Other backends build RUN stages through a StageBackend,
//              imported back into the store. RUN for a foreign architecture is refused by name.
// Then the key is recorded (a record that cannot be written is said in the target's note: the
// target is made, the next build misses) and, with --push, the image pushed.
// Every Dockerfile image records its base (org.opencontainers.image.base.name/.digest) and, when
// its own layers depend on the base's files, why it must not be rebased.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "builder/build_progress.h"
#include "builder/executor.h"
#include "builder/fleet_pusher.h"
#include "builder/image_source.h"
#include "builder/key_readers.h"
#include "builder/rootfs_cache.h"
#include "builder/run_step_native.h"
#include "builder/stage_backend.h"
#include "fleet/fleet.h"
#include "oci/layout_store.h"
#include "plan/build_plan.h"
#include "plan/cache_records.h"
#include "plan/target_key.h"
#include "registry/registry_context.h"

namespace plinth::builder {

enum class CacheMode { kUse, kIgnore };

struct FleetBuildOptions {
  CacheMode cache = CacheMode::kUse;
  // --push / --push-to: each target's image goes to its destination (FleetPusher), and its
  // cache key is recorded there (registry::RemoteCache), so another machine can skip it.
  // Null: nothing is pushed.
  FleetPusher* pusher = nullptr;
  // --cache-from REGISTRY (host[:port]): a target missing locally whose key that registry has
  // recorded (same repository path) is pulled instead of built.
  std::string cache_from;
  registry::RegistryContext* registries = nullptr;  // required for cache_from
  int64_t timestamp = 0;  // SOURCE_DATE_EPOCH: image times, and an input of every key
  std::string debian_cache_dir;  // apt lists and .debs
  // What builds the stages that RUN: one of kStageBackendNames.
  std::string backend{kDefaultStageBackend};
  BuildProgress* progress = nullptr;  // steps and bytes of each target, for a live view
  bool sbom = false;  // --sbom: each target's image gets its SBOM attached (audit/sbom_attach.h)
  // --audit: checks the image a target was made into (built, cached or fetched), before its
  // cache key is recorded, its SBOM attached and it is pushed: an image that fails (kFailed)
  // is never published.
  std::function<Status(plan::TargetId)> vet;
  // --secret: what RUN --mount=type=secret reads (native backend), by id.
  BuildSecrets secrets;
  // Tests: the step runner native RUN uses instead of runc (owned by the caller).
  run::StepRunner* step_runner = nullptr;
};

// What the builder learned about each target, for the summary and the build records.
struct TargetReport {
  std::string cache_key;
  std::string image_digest;
  int64_t size = 0;
  int layers = 0;
  std::string note;  // how it was made when that is worth saying ("rebased onto …")
  std::optional<registry::PushResult> pushed;  // --push: what its push sent
};

// The KeyOptions a build with `options` computes keys with (`plan` uses the same).
plan::KeyOptions KeyOptionsOf(const FleetBuildOptions& options);

class FleetBuilder : public TargetRunner {
 public:
  FleetBuilder(const fleet::Fleet& fleet, const plan::BuildPlan& plan,
               const oci::LayoutStore& store, std::shared_ptr<ImageSource> upstream,
               FleetBuildOptions options);

  Result<TargetOutcome> Run(plan::TargetId id, const std::atomic<bool>& cancelled) override;
  TargetReport Report(plan::TargetId id) const;
  std::string Note(plan::TargetId id) const override { return Report(id).note; }

 private:
  // A target made one way or another, before its key is recorded.
  struct Made {
    oci::Descriptor image;
    TargetOutcome outcome = TargetOutcome::kBuilt;
    std::string note;
    bool record = true;  // false: the records already say this (a cache hit)
  };

  // The key, with the bases it reads brought into the store first.
  Result<plan::TargetKey> KeyOf(plan::TargetId id);
  Result<Made> Make(plan::TargetId id, plan::TargetKey& key);
  std::optional<Made> FromCache(plan::TargetId id, const plan::TargetKey& key);
  std::optional<Made> FromRemote(plan::TargetId id, const plan::TargetKey& key);
  std::optional<Made> Rebased(plan::TargetId id, const plan::TargetKey& key);
  Result<Made> Built(plan::TargetId id, plan::TargetKey& key);
  // Records the key (failures go into the note), pushes, and keeps the report.
  Result<TargetOutcome> Finish(plan::TargetId id, const plan::TargetKey& key, Made made,
                               double seconds);

  Result<oci::Descriptor> BuildRecipe(const plan::TargetSpec& spec);
  // `note`: how its RUN stages were built, when that is worth saying.
  Result<oci::Descriptor> BuildDockerfile(const plan::TargetSpec& spec, std::string* note);
  // The final image with its base and rebase-safety annotations (rewritten only if they differ).
  Result<ResolvedImage> RecordBase(const plan::TargetSpec& spec, ResolvedImage result);
  // The image pushed to the registry its name says; what the tag names there.
  // Whether the backend can build, asked once per build (the first time a stage RUNs).
  Status BackendReady();
  // Whether RUN can run natively here, asked once per build (then the stale steps of killed
  // builds are removed).
  Status NativeReady();

  const fleet::Fleet& fleet_;
  const plan::BuildPlan& plan_;
  const oci::LayoutStore& store_;
  std::shared_ptr<ImageSource> images_;
  FleetBuildOptions options_;
  plan::CacheRecords records_;
  StoreKeySources key_sources_;
  RootfsCache rootfs_;
  Result<std::unique_ptr<StageBackend>> backend_;
  std::once_flag backend_checked_;
  Status backend_ready_;
  bool native_ = false;  // --backend native
  std::unique_ptr<run::StepRunner> own_runner_;
  run::StepRunner* runner_ = nullptr;
  std::unique_ptr<run::SnapshotStore> snapshots_;
  StepCache step_cache_;
  NativeRun native_run_;
  std::once_flag native_checked_;
  Status native_ready_;
  mutable std::mutex mu_;
  std::map<plan::TargetId, TargetReport> reports_;
};

}  // namespace plinth::builder
