// The native RUN step: a RUN instruction applied to a stage's image by running it on runc over
// overlay snapshots (src/run/), without buildah. In order:
//   the process (builder/run_step.h) from the image's config, with USER looked up in the
//   image's /etc/passwd and /etc/group through the snapshots (run::FindInLowers);
//   the step cache (builder/step_cache.h): a recorded layer whose blob is in the store is
//   taken as it is and nothing runs;
//   else SnapshotStore::Lowers → NewStep → the mounts prepared → RuncStepRunner::Run with the
//   output streamed to the target's progress → WriteUpperLayer → SnapshotStore::Adopt, and the
//   image gains the layer with BuildKit's history entry; the key is recorded.
// Mounts (builder/run_step_mounts.h): type=cache folders live under STORE/plinth/run-cache/ across
// builds (sharing=locked holds a FileLock for the step; private gives a busy cache's second user a
// fresh folder that is dropped after); type=bind reads the context (resolved inside it) or another
// stage or image (unpacked by the RootfsCache), read-only, or as a throwaway copy with rw;
// type=tmpfs; type=secret copies the secret into the step's folder (outside the upper, so never in
// a layer) with mode 0400 (or mode/uid/gid), and is never shown, logged or part of a key. A step
// that exits non-zero is `Dockerfile:LINE: RUN … exited with code N` with the tail of its output;
// its folders are released.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "builder/copy_step.h"
#include "builder/run_step.h"
#include "builder/stage_vars.h"
#include "builder/step_cache.h"
#include "run/snapshot_store.h"
#include "run/step_runner.h"

namespace plinth::builder {

// What a stage engine needs to RUN natively; owned by the caller (the fleet builder).
struct NativeRun {
  run::StepRunner* runner = nullptr;
  run::SnapshotStore* snapshots = nullptr;
  const StepCache* cache = nullptr;  // where steps are recorded (null: nowhere)
  // --no-cache: every step runs, and is still recorded for later builds, as BuildKit does.
  bool reuse = true;
  const BuildSecrets* secrets = nullptr;
  std::string run_cache_dir;  // STORE/plinth/run-cache
  // Whether steps can run here, asked before the first one (once per build by its owner); unset:
  // they can.
  std::function<Status()> ready;
};

// RUN instruction `ins` (or an ONBUILD RUN trigger) applied to `image`.
Result<oci::Image> ApplyRun(const StageContext& ctx, oci::Image image, const StageVars& vars,
                            const std::vector<ArgInScope>& args,
                            const dockerfile::Instruction& ins);

}  // namespace plinth::builder
