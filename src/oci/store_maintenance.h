// Verify and garbage-collect a LayoutStore.
//
// Verify re-hashes every blob, and walks every image named in index.json (indexes, manifests,
// configs, layers) checking each referenced blob is present with the size its descriptor says,
// and that each layer decompresses to the diff_id its image's config names (streaming; a layer
// shared by many images is decompressed once). It holds the store's reader lock, so gc cannot
// remove a blob under it. Gc removes blobs that no named image reaches, and what killed runs
// left (temp blobs, index.json temp files), with the store's gc lock held exclusively, so it
// never removes a blob a running build, pull, copy or import has written but not yet tagged.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "oci/layout_store.h"
#include "util/file_lock.h"

namespace plinth::oci {

struct VerifyReport {
  uint64_t blobs_checked = 0;
  uint64_t images_checked = 0;
  std::vector<std::string> problems;  // one line each: what is wrong and where
  bool ok() const { return problems.empty(); }
};

struct VerifyOptions {
  // The diff_id of a layer blob (its uncompressed sha256: layer::UncompressedDigest, which this
  // module cannot reach). Unset: diff_ids are not checked.
  std::function<Result<Digest>(ByteSource& blob)> diff_id_of;
};

Result<VerifyReport> VerifyStore(const LayoutStore& store, const VerifyOptions& options = {});

struct GcReport {
  uint64_t blobs_removed = 0;
  uint64_t bytes_freed = 0;
  uint64_t blobs_kept = 0;
  uint64_t temp_files_removed = 0;  // left by killed runs
};

enum class GcMode { kRemove, kDryRun };
// `gc_lock` is the store's GcLock(), held by the caller for this and whatever else it sweeps.
Result<GcReport> CollectGarbage(const LayoutStore& store, const FileLock& gc_lock,
                                GcMode mode = GcMode::kRemove);

// Every blob reachable from `root` (itself included), for gc, push and export.
Result<std::vector<Descriptor>> ReachableBlobs(const LayoutStore& store, const Descriptor& root);

// The diff_ids of every image manifest the store's named images reach (each platform of an
// index), in layer order: what the caches of unpacked layers keep when they are pruned. A
// damaged image gives nothing (`store verify` names it).
Result<std::vector<std::vector<Digest>>> StoredDiffIdLists(const LayoutStore& store);

}  // namespace plinth::oci
