// SnapshotStore: the layers a native RUN step stands on, each unpacked once into the store as a
// read-only overlay lower directory, and the folders a step runs in. The layout:
//
//   STORE/plinth/snapshots/                  0700: no other user reaches a snapshot
//   STORE/plinth/snapshots/<diff_id hex>/fs  one layer's files in overlayfs' own format: an OCI
//                                            whiteout ".wh.NAME" is a 0:0 character device NAME,
//                                            an opaque folder ("DIR/.wh..wh..opq") carries the
//                                            xattr trusted.overlay.opaque=y; owners, modes
//                                            (setuid/setgid included) and mtimes as in the layer
//   STORE/plinth/steps-run/<pid>-<n>/        a running step: upper/, work/, rootfs/ (the mount
//                                            point), bundle/ (the runtime's config.json)
//
// A snapshot is made in a temporary folder beside its final name and renamed into place, so a
// killed build never leaves a half-unpacked snapshot under a diff_id; two processes that unpack
// the same layer at once both succeed (the second rename loses and its copy is removed). Every
// blob is checked against its digest and its tar against the diff_id while it is unpacked
// (layer::ExtractLayer), so a snapshot named by a diff_id holds exactly that layer's files.
// Unpacked bytes are bounded as layer::UnpackLimit says.
//
// Adopt turns a finished step's upper directory into the snapshot of the layer written from it
// without unpacking that layer again. It first sets every entry's mtime to the one the layer
// records (clamped to the build's timestamp), so an adopted snapshot and one unpacked from the
// layer are the same tree: a later step sees the same files whichever way its lower was made.
// Overlay's own xattrs (origin, impure) and any the layer cannot carry are removed, and so are
// sockets (which the layer leaves out); only an opaque folder's mark stays. A snapshot's root
// folder is 0755 root:root with mtime 0 however it was made: an overlay takes "/" from its upper,
// never from a lower.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "oci/image.h"
#include "oci/layout_store.h"
#include "util/file_lock.h"
#include "util/result.h"

namespace plinth::run {

// The folders of one running step, all under STORE/plinth/steps-run/<pid>-<n>/.
struct StepDirs {
  std::string root;    // the step's folder; removed by SnapshotStore::Release
  std::string upper;   // overlay upperdir: after the run, the step's diff
  std::string work;    // overlay workdir
  std::string rootfs;  // where the overlay is mounted (the bundle's root.path)
  std::string bundle;  // the OCI runtime bundle folder (config.json goes here)
};

class SnapshotStore {
 public:
  explicit SnapshotStore(const oci::LayoutStore& store);

  // The snapshot folder of each of `image`'s layers, bottom layer first, unpacking the ones not
  // there yet (layer blobs are read from the store).
  Result<std::vector<std::string>> Lowers(const oci::Image& image);

  // Fresh, empty folders for one step.
  Result<StepDirs> NewStep();

  // Makes `dirs.upper` the snapshot of the layer that was written from it (`diff_id`), with
  // mtimes clamped to `timestamp` as the layer writer clamps them; when that snapshot exists
  // already, the upper is just dropped. Then removes the rest of the step's folders; on an
  // error too (the layer is written: a later step unpacks it if it needs the snapshot).
  Status Adopt(const StepDirs& dirs, const oci::Digest& diff_id, int64_t timestamp);

  // Removes a step's folders (after a failed run, or when its layer came from the cache),
  // detaching anything still mounted below them. Folders NewStep did not make are refused.
  Status Release(const StepDirs& dirs);

  // Removes the step folders of processes that no longer run (a killed build), and the
  // temporary folders of snapshots they were unpacking or adopting (".tmp-<pid>-<n>-<hex>"),
  // detaching mounts below them first. Returns how many folders it removed.
  Result<int> RemoveStale();

 private:
  Status Prepare(const std::string& dir);         // STORE/plinth/<dir>, 0700
  bool IsStepRoot(const std::string& dir) const;  // one folder directly under steps_root_
  Result<std::string> Unpack(const oci::Descriptor& blob, const oci::Digest& diff_id);
  // Renames a finished temp folder (holding fs/) to the snapshot's name; returns its fs/.
  Result<std::string> Publish(const std::string& temp, const oci::Digest& diff_id);

  const oci::LayoutStore& store_;
  std::string root_;        // STORE/plinth/snapshots
  std::string steps_root_;  // STORE/plinth/steps-run
};

}  // namespace plinth::run
