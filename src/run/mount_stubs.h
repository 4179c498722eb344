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

#include <string>
#include <vector>

#include "util/result.h"

namespace plinth::run {

// The paths, relative to the merged root and with the symlinks of the lowers resolved, that
// do not exist in the merged view of `lowers` (bottom first) and that mounting at `targets`
// (absolute container paths) will create: each missing target and its missing parents,
// parents first, each once.
Result<std::vector<std::string>> FindMountStubs(const std::vector<std::string>& lowers,
                                                const std::vector<std::string>& targets);

// Removes from `upper` each of `stubs` that is an empty regular file or an empty folder,
// deepest first; anything else (a stub the step filled, replaced or removed) is left alone.
Status RemoveMountStubs(const std::string& upper, const std::vector<std::string>& stubs);

}  // namespace plinth::run
