// Puller: copies an image or index from a registry repository into the local store.
//
// Every blob streams into a store BlobWriter through a VerifyingSink: the registry client
// checks size and digest as bytes arrive and the store checks the digest again before the
// rename, so nothing unverified is ever published. Blobs come first (in parallel, skipping what
// the store has), then manifests, then the index, then the store's tag: a failed pull leaves
// at most unreferenced blobs, which gc removes. Transient failures restart a blob from zero.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "oci/layout_store.h"
#include "oci/platform.h"
#include "registry/registry_client.h"

namespace plinth::registry {

struct PullOptions {
  int jobs = 4;
  // Set: pull only this platform's manifest from an index (the store names that manifest).
  // Unset: pull every manifest an index lists.
  std::optional<oci::Platform> platform;
};

struct PullResult {
  oci::Descriptor root;  // what the store now names (an index, or a platform manifest)
  int blobs_fetched = 0;
  int blobs_present = 0;
  int64_t bytes_fetched = 0;
};

class Puller {
 public:
  Puller(RegistryClient& client, const oci::LayoutStore& store, PullOptions options = {})
      : client_(client), store_(store), options_(std::move(options)) {}

  // Pulls `reference` (a tag or a digest) of `repo`; tags the result `store_name` in the store
  // unless that is empty.
  Result<PullResult> Pull(const std::string& repo, const std::string& reference,
                          const std::string& store_name);

 private:
  Status FetchBlob(const std::string& repo, const oci::Descriptor& blob, PullResult& result);
  RegistryClient& client_;
  const oci::LayoutStore& store_;
  PullOptions options_;
  std::mutex mu_;
};

}  // namespace plinth::registry
