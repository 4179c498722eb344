// SbomAttach: `plinth build --sbom`. Each built (or cached, fetched, rebased) target's image
// gets its SPDX SBOM attached in the store as an OCI artifact whose subject is the image
// manifest (oci/referrers.h); `--push` then sends it along (registry/referrers_pusher.h). An
// image that already has one (a cached target) keeps it: the SBOM depends only on the image.
#pragma once

#include <string>

#include "oci/descriptor.h"
#include "oci/layout_store.h"
#include "util/result.h"

namespace plinth::audit {

// `image` is the target's manifest (or an index: each of its manifests gets one); `name` is
// its store name. Returns how many SBOMs were made (0: all were attached already).
Result<int> AttachSbom(const oci::LayoutStore& store, const oci::Descriptor& image,
                       const std::string& name);

}  // namespace plinth::audit
