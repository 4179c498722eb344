// Pusher: copies an image or a multi-arch index from the local store to a registry repository.
//
// Order is what keeps a registry consistent under failures: every blob (configs and layers of
// every platform) is put in place first, in parallel, skipping those the registry already has
// (HEAD) or can mount from another repository; then each platform manifest by digest; then the
// root under its tag. A push that fails half-way leaves blobs, never a manifest pointing at a
// missing one. A tag that already names the same digest short-circuits the whole push.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "oci/layout_store.h"
#include "registry/blob_locations.h"
#include "registry/registry_client.h"

namespace plinth::registry {

struct PushOptions {
  int jobs = 4;                         // parallel blob uploads
  std::vector<std::string> mount_from;  // repositories on the same registry to mount blobs from
  // Shared by the pushes of one run: blobs are mounted from the repositories it names, and
  // every blob this push puts in place (or finds there) is added to it.
  BlobLocations* known = nullptr;
};

// What one push sent, or several summed.
struct PushCounts {
  int blobs_uploaded = 0;
  int blobs_present = 0;     // already in the registry
  int blobs_mounted = 0;
  int manifests_put = 0;
  int64_t bytes_uploaded = 0;
  int64_t bytes_mounted = 0;

  PushCounts& operator+=(const PushCounts& other);
};

struct PushResult : PushCounts {
  oci::Descriptor root;      // what the tag now names in the registry
};

class Pusher {
 public:
  Pusher(RegistryClient& client, const oci::LayoutStore& store, PushOptions options = {})
      : client_(client), store_(store), options_(std::move(options)) {}

  // Pushes the store's `root` (a manifest or an index) to `repo`, tagged `tag` (empty: by
  // digest only).
  Result<PushResult> Push(const oci::Descriptor& root, const std::string& repo,
                          const std::string& tag);

 private:
  Status PushBlob(const std::string& repo, const oci::Descriptor& blob, PushResult& result);
  void Learn(const std::string& repo, const oci::Descriptor& blob);
  RegistryClient& client_;
  const oci::LayoutStore& store_;
  PushOptions options_;
  std::mutex mu_;  // guards the counters of the running push
};

}  // namespace plinth::registry
