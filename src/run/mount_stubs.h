// Mount stubs: the mount points the runtime has to create for a step (a mount target the image
// lacks, /etc/resolv.conf on a base without one, and the folders above them that are missing
// too), found before the run by looking through the lowers, and removed from the upper after
// it when they are still empty, as BuildKit's executor/stubs.go does: an empty file or folder
// that only existed to mount on never reaches the step's layer.
//
// Removal walks the upper without following a symlink (the step wrote the upper: a stub it
// replaced by a link to "/etc" must not lead the removal to this machine's /etc), and removes
// only empty files and empty folders.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/result.h"

namespace plinth::run {

// What the runtime makes for a step's mount points, relative to the merged root with the
// symlinks of the lowers resolved.
struct MountStubs {
  // Paths absent from the merged view that mounting will create: each missing target and its
  // missing parents, parents first, each once.
  std::vector<std::string> made;
  // Folders of the lowers above them, which overlayfs copies up into the upper when the runtime
  // creates a stub in them: owner and mode as the lowers have them.
  struct Parent {
    std::string path;
    uint32_t mode = 0;  // st_mode, type bits included
    uint32_t uid = 0;
    uint32_t gid = 0;
  };
  std::vector<Parent> parents;
};

// The stubs of mounting at `targets` (absolute container paths) on the merged view of `lowers`
// (bottom first).
Result<MountStubs> FindMountStubs(const std::vector<std::string>& lowers,
                                  const std::vector<std::string>& targets);

// Removes from `upper` each stub that is an empty regular file or an empty folder, deepest
// first, then each parent that is left an empty folder, not opaque, with the owner and mode the
// lowers give it: a copy-up made only for a stub, which would put the folder into the layer.
// Anything else (a stub the step filled, replaced or removed, a folder it changed) stays.
Status RemoveMountStubs(const std::string& upper, const MountStubs& stubs);

}  // namespace plinth::run
