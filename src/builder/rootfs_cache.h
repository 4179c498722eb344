// RootfsCache: an image's files unpacked on disk, for what needs to read them natively: COPY
// --from another stage or image, --chown by user name (/etc/passwd), and the metadata of parent
// folders a new layer touches. Unpacked once per layer chain:
//
//   STORE/plinth/rootfs/                 0700: no other user reaches a tree
//   STORE/plinth/rootfs/<chain>/tree/    the files, whiteouts applied
//   STORE/plinth/rootfs/<chain>/setid-modes
//                                        "INODE MODE" lines (MODE octal): the full modes of the
//                                        files that lost setuid/setgid bits in tree/
//
// where <chain> is the sha256 of a version line and the image's diff_ids in order. A tree is
// built in <chain>.tmp.PID and renamed into place, so a killed build never leaves a
// half-unpacked tree under that name.
//
// Trust: a tree is published only after every layer's blob matched its digest and its
// uncompressed tar matched the diff_id the chain is named by (checked while extracting), so an
// image whose config claims another image's diff_ids cannot put its files under that image's
// chain. Trees are checked when made, not when reused. Unpacked bytes per layer are bounded
// (layer::UnpackLimit). Files keep no setuid/setgid bits on disk; ModeOf gives them back to what
// copies a file into a new layer, so the image keeps the bits its base had.
//
// A stage adds one layer at a time, so most chains extend one already unpacked: the new tree
// starts as a hard-link clone of the longest unpacked prefix and only the layers above it are
// extracted. That is safe because the extractor never writes into an existing file: it unlinks
// and recreates every path a layer names, so a clone never changes the tree it came from; the
// inodes it shares keep their setid-modes lines.
//
// Materialize is called with the store's writer lock held (by the build); Prune needs its gc
// lock, so it never removes a tree a build is using or making.
#pragma once

#include <sys/stat.h>

#include <map>
#include <mutex>
#include <string>

#include "layer/layer_extractor.h"
#include "oci/image.h"
#include "oci/layout_store.h"
#include "util/file_lock.h"

namespace plinth::builder {

struct RootfsPruneReport {
  uint64_t trees_removed = 0;  // trees of images no longer in the store
  uint64_t temps_removed = 0;  // half-made trees of killed runs, and trees of an older layout
  uint64_t trees_kept = 0;
};

class RootfsCache {
 public:
  explicit RootfsCache(const oci::LayoutStore& store) : store_(store) {}
  // The folder holding `image`'s files (unpacked with whiteouts applied).
  Result<std::string> Materialize(const oci::Image& image);
  // The mode the image gives the file `st` describes, in a tree Materialize returned: its mode
  // on disk with the setuid/setgid bits it was unpacked without.
  uint32_t ModeOf(const std::string& tree, const struct stat& st);

  // Removes every entry of STORE/plinth/rootfs but the trees of layer chains some image in the
  // store starts with. `gc_lock` is the store's GcLock(): no build is running.
  static Result<RootfsPruneReport> Prune(const oci::LayoutStore& store, const FileLock& gc_lock,
                                         bool dry_run);

 private:
  Status PrepareRoot();
  const layer::SetidModes& ModesOf(const std::string& tree);
  const oci::LayoutStore& store_;
  std::mutex mu_;
  bool root_ready_ = false;
  std::map<std::string, layer::SetidModes> modes_;  // by tree, read on first use
};

// Recreates the tree at `from` under `to` (which must not exist): folders are new, with the
// same mode, owner and times; everything else is a hard link to the same inode.
Status CloneTreeWithHardLinks(const std::string& from, const std::string& to);

}  // namespace plinth::builder
