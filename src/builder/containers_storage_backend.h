// ContainersStorageBackend: the buildah and podman backends, which share containers-storage and
// its configuration. The stage's base goes from plinth's store to the tool's storage with
// skopeo (and stays there, named by its digest, for the next stage on it), `buildah build` /
// `podman build` builds the stage's Dockerfile text, and `… push` to a temporary OCI layout
// hands the result back, imported into the store verified blob by blob.
// The tools run with runc and lowered ulimits through a containers.conf that plinth writes under
// STORE/plinth/containers/ (unless CONTAINERS_CONF is already set), and with vfs storage there
// (unless CONTAINERS_STORAGE_CONF is set), so they neither need nor touch the machine's setup.
#pragma once

#include <map>
#include <string>

#include "builder/stage_backend.h"
#include "util/file_lock.h"

namespace plinth::builder {

enum class ContainersTool { kBuildah, kPodman };

class ContainersStorageBackend : public StageBackend {
 public:
  ContainersStorageBackend(const oci::LayoutStore& store, ContainersTool tool)
      : store_(store), tool_(tool) {}
  std::string_view name() const override { return tool_ == ContainersTool::kBuildah ? "buildah" : "podman"; }
  Status CheckAvailable() override;
  Result<ResolvedImage> BuildStage(const BackendStageRequest& request) override;

 private:
  // Writes the configuration files (once) and returns the variables that point the tools at them.
  Result<std::map<std::string, std::string>> Environment();
  const oci::LayoutStore& store_;
  ContainersTool tool_;
  std::map<std::string, std::string> env_;  // set by CheckAvailable
};

// For `store gc`, with the store's gc lock held (no build runs): the working containers and
// the stage images (localhost/plinth-stage-*) killed builds left in STORE/plinth/containers.
// Storage the user chose with CONTAINERS_STORAGE_CONF is never touched; without buildah, nothing
// is done. Returns how many there were (removed unless `dry_run`).
Result<int> RemoveContainerLeftovers(const oci::LayoutStore& store, const FileLock& gc_lock,
                                     bool dry_run);

}  // namespace plinth::builder
