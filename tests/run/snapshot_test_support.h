// Helpers shared by the snapshot and upper-layer tests: a private mount namespace for the test
// process (so an overlay a failed test leaves mounted dies with it), overlay mounts, layers made
// from trees on disk or from raw tars, and a tree's full description for comparing two trees.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "oci/image.h"
#include "oci/layout_store.h"
#include "run/snapshot_store.h"

namespace plinth::run::testing {

// Moves the test process into a mount namespace of its own, with "/" private (once).
void EnterPrivateMountNamespace();

// Mounts an overlay of `lowers` (bottom first) with the step's upper and work folders at its
// rootfs, with the options the step runner uses (see step_runner.h).
void MountOverlay(const std::vector<std::string>& lowers, const StepDirs& dirs);
void Unmount(const std::string& path);
bool IsMountPoint(const std::string& path);

// Binds a unix socket at `path` (and closes it: the socket file stays).
void MakeSocket(const std::string& path);

// Runs a command line through sh -c; returns its stdout; fails the test on a non-zero exit.
std::string Shell(const std::string& command);

// A layer (gzip) made from everything below `dir`, owners and modes as on disk, in the store.
struct StoredLayer {
  oci::Descriptor descriptor;
  oci::Digest diff_id;
};
StoredLayer LayerFromTree(const oci::LayoutStore& store, const std::string& dir, int64_t timestamp);
// A blob holding `bytes` (a plain tar: its digest is its diff_id).
StoredLayer LayerFromTar(const oci::LayoutStore& store, const std::string& bytes);

// An image of `layers`, bottom first.
oci::Image ImageOf(const std::vector<StoredLayer>& layers);

// What a tree holds, path by path: type, mode, owner, size, content (sha256), symlink target,
// device numbers, link count, the opaque xattr, and (unless without_mtimes) mtime.
using TreeListing = std::map<std::string, std::string>;
TreeListing ListTree(const std::string& root, bool with_dir_mtimes = true, bool with_mtimes = true);

}  // namespace plinth::run::testing
