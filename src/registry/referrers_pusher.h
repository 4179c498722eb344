// ReferrersPusher: pushes the artifacts the store attaches to an image (oci/referrers.h) next to
// the image, and makes them findable from it: a registry with the OCI 1.1 referrers API lists
// an artifact as soon as its manifest (with `subject`) is put; one without it gets the
// distribution-spec fallback, an index tagged "sha256-<subject hex>" listing the artifacts,
// read, extended and put again (RegistryClient::Referrers reads both ways).
#pragma once

#include <string>

#include "oci/descriptor.h"
#include "oci/layout_store.h"
#include "registry/pusher.h"
#include "registry/registry_client.h"
#include "util/result.h"

namespace plinth::registry {

// Pushes the referrers of `root` (a manifest, or an index and each of its manifests) to `repo`
// with `pusher`, and lists each under its subject. Adds what was sent to `counts`; returns how
// many artifacts were pushed.
Result<int> PushReferrers(RegistryClient& client, Pusher& pusher, const oci::LayoutStore& store,
                          const oci::Descriptor& root, const std::string& repo, PushCounts* counts);

}  // namespace plinth::registry
