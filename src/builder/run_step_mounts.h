// The host side of a RUN step's --mount flags (builder/run_step.h decides what they are):
//   cache   a folder under STORE/plinth/run-cache/<sha256 of id>, kept across builds, made on
//           first use (beside its name, then renamed) with uid/gid/mode; sharing=locked holds a
//           lock file for the step (across processes), private gives a busy cache's second user
//           a fresh folder in the step's own folder, dropped with it;
//   bind    the context (source resolved inside it) or another stage's or image's files
//           (RootfsCache), read-only, or a throwaway copy with rw;
//   tmpfs   as it is;
//   secret  the value (a file or a variable of plinth's, at most 500 KiB as BuildKit) copied
//           into the step's own folder (never the upper, so never a layer) with mode 0400 (or
//           mode/uid/gid) and bound read-only; `env=` hands it over as a variable instead.
// And MountContent: what a mount adds to the step's cache key besides its options, the digest of
// what it binds (context files as plan's key hashes COPY sources, or the source's diff_ids).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "builder/copy_step.h"
#include "builder/run_step.h"
#include "run/run_spec.h"

namespace plinth::builder {

// An flock held for a step (cache sharing=locked or private), released when it goes.
class HeldLock {
 public:
  HeldLock(HeldLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  HeldLock& operator=(HeldLock&&) = delete;
  ~HeldLock();
  // Blocks unless `wait` is false; then nullopt when another holds it.
  static Result<std::optional<HeldLock>> Take(const std::string& path, bool wait);

 private:
  explicit HeldLock(int fd) : fd_(fd) {}
  int fd_;
};

// What the step's mounts hold on to while it runs.
struct PreparedMounts {
  std::vector<run::RunMount> mounts;
  std::vector<std::string> env;  // secrets given as variables
  std::vector<HeldLock> locks;
};

// `step_root`: the step's own folder (SnapshotStore's StepDirs::root), removed after the step.
Result<PreparedMounts> PrepareMounts(const StageContext& ctx, const std::string& run_cache_dir,
                                     const BuildSecrets* secrets, const std::string& step_root,
                                     const StepProcess& process);

// "" for mounts that bind no content; "sha256:…" otherwise.
Result<std::string> MountContent(const StageContext& ctx, const StepMount& mount);

}  // namespace plinth::builder
