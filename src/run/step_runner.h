// StepRunner: runs one RUN step on an overlay of read-only lower folders and an upper folder
// that receives everything the step changes. RuncStepRunner is the real one: Debian's `runc`,
// the runtime BuildKit and containerd use.
//
// How a killed build leaves nothing mounted: the overlay is mounted by a child process in a
// mount namespace of its own (fork; unshare(CLONE_NEWNS); mount "/" private; mount the overlay
// at StepDirs::rootfs; exec runc), so the mount lives exactly as long as the runc process and
// the container it starts, and no mount ever appears in the host's namespace. The child dies
// with plinth (PR_SET_PDEATHSIG); containers are made under runc's own state folder in the
// store (STORE/plinth/runc), named "plinth-<pid>-<n>", so RemoveStale can `runc delete --force`
// those whose plinth process is gone.
//
// Mount points the runtime had to create (a mount target the image lacks, /etc/resolv.conf on a
// base without it) are removed from the upper again when they are still empty after the run, as
// BuildKit's mount stubs cleaner does, so they never reach the layer.
//
// The overlay is mounted with index=off, metacopy=off, redirect_dir=off, xino=off, so the upper
// holds whole files and plain folders that layer::WriteUpperLayer can write as a layer.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "run/run_spec.h"
#include "run/snapshot_store.h"
#include "util/result.h"

namespace plinth::run {

struct StepRequest {
  std::vector<std::string> lowers;  // bottom first, as SnapshotStore::Lowers gives them
  StepDirs dirs;
  RunSpec spec;  // spec.rootfs is dirs.rootfs
};

struct StepOutcome {
  int exit_code = 0;        // the command's; 128+N when signal N ended it
  std::string output_tail;  // the last lines it printed (stdout and stderr), at most 4 KiB
};

// Live output of the step, a chunk at a time (stdout and stderr merged), from the calling
// thread.
using OutputSink = std::function<void(std::string_view)>;

class StepRunner {
 public:
  virtual ~StepRunner() = default;
  // Whether steps can run here: root (or what the runtime needs), the kernel's overlay, runc
  // on PATH. The error says what is missing and that --backend buildah is the way round it.
  virtual Status CheckAvailable() = 0;
  // Runs the step to its end. A failure to *start* it is an error; a command that exits
  // non-zero is an outcome. Called from several threads at once.
  // RuncStepRunner: request.spec's rootfs, resolv_conf and hosts are set from request.dirs (the
  // runner writes resolv.conf, a copy of this machine's or docker's fallback nameservers, and
  // hosts, "127.0.0.1 localhost buildkitsandbox", into dirs.root); config.json and runc's log
  // go to dirs.bundle. No lowers (FROM scratch) is an empty lower. Lowers too many for one
  // page of mount options are named relative to their common parent, or given one by one
  // through the new mount API (fsconfig "lowerdir+", Linux 6.8). stdout and stderr each reach
  // `output` in order; how the two interleave is runc's copying. An error runc logs (the
  // config refused, the program not found) is an error, not an exit code.
  virtual Result<StepOutcome> Run(const StepRequest& request, const OutputSink& output) = 0;
  // Deletes containers and mounts of builds that were killed (see above).
  virtual Result<int> RemoveStale() = 0;
};

class RuncStepRunner : public StepRunner {
 public:
  // `state_dir`: runc's --root (STORE/plinth/runc).
  explicit RuncStepRunner(std::string state_dir) : state_dir_(std::move(state_dir)) {}
  Status CheckAvailable() override;
  Result<StepOutcome> Run(const StepRequest& request, const OutputSink& output) override;
  Result<int> RemoveStale() override;

 private:
  std::string state_dir_;
};

}  // namespace plinth::run
