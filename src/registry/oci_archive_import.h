// Reads an oci-archive (a tar of an OCI image layout, as `plinth image export` and
// `skopeo copy … oci-archive:` write it) into a LayoutStore, streaming:
//
//   archive = { "oci-layout" | "index.json" | "blobs/sha256/" hex | directories }
//
// Each blob goes through a store BlobWriter and is published only if its bytes match the digest
// its name claims; other members are refused. The image named `name` in the archive's
// index.json (its only image when `name` is empty) is returned, not tagged: the caller names it.
// The import holds the store's writer lock while it writes; the caller holds it as well until
// it has tagged the image (gc removes untagged blobs).
#pragma once

#include <string>

#include "oci/layout_store.h"

namespace plinth::registry {

Result<oci::Descriptor> ImportOciArchive(const std::string& path, const std::string& name,
                                         const oci::LayoutStore& into);

}  // namespace plinth::registry
