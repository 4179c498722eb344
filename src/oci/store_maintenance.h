// Verify and garbage-collect a LayoutStore.
//
// Verify re-hashes every blob, and walks every image named in index.json (indexes, manifests,
// configs, layers) checking each referenced blob is present with the size its descriptor says.
// Gc removes blobs that no named image reaches, and stale temp files, while holding the store's
// gc lock exclusively, so it never removes a blob a running build has written but not yet tagged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "oci/layout_store.h"

namespace plinth::oci {

struct VerifyReport {
  uint64_t blobs_checked = 0;
  uint64_t images_checked = 0;
  std::vector<std::string> problems;  // one line each: what is wrong and where
  bool ok() const { return problems.empty(); }
};

Result<VerifyReport> VerifyStore(const LayoutStore& store);

struct GcReport {
  uint64_t blobs_removed = 0;
  uint64_t bytes_freed = 0;
  uint64_t blobs_kept = 0;
};

enum class GcMode { kRemove, kDryRun };
Result<GcReport> CollectGarbage(const LayoutStore& store, GcMode mode = GcMode::kRemove);

// Every blob reachable from `root` (itself included), for gc, push and export.
Result<std::vector<Descriptor>> ReachableBlobs(const LayoutStore& store, const Descriptor& root);

}  // namespace plinth::oci
