// CopyImage: `plinth copy SRC DEST` between registries, plinth's store, OCI layout folders and
// oci-archives. plinth's store is the hub: an image from a registry or an archive lands in it
// (verified blob by blob) before it goes anywhere else, so a copy never streams unverified bytes
// onwards. Registry to registry on one host mounts blobs instead of moving them.
// Every layout written (the store, a destination folder) is written under its writer lock, so
// `plinth store gc` waits for the copy; a source layout is only read (never written or locked),
// and its blobs are read as regular files no longer than their descriptors say.
#pragma once

#include <optional>
#include <string>

#include "oci/layout_store.h"
#include "oci/platform.h"
#include "registry/image_location.h"
#include "registry/registry_context.h"

namespace plinth::registry {

struct CopyOptions {
  int jobs = 4;
  // Set: copy only this platform's manifest out of an index.
  std::optional<oci::Platform> platform;
};

struct CopyResult {
  oci::Descriptor root;
  // What the destination got. A registry: blobs uploaded, mounted from another repository of
  // it (no bytes sent), or already there. A store, layout or archive: blobs written into it.
  int blobs_copied = 0;
  int blobs_mounted = 0;
  int blobs_present = 0;
};

Result<CopyResult> CopyImage(RegistryContext& registries, const oci::LayoutStore& store,
                             const ImageLocation& source, const ImageLocation& destination,
                             const CopyOptions& options = {});

// Copies `root` and everything below it from one layout to another (verifying every blob) and
// names it `name` there. The caller holds `to`'s writer lock.
Result<int> CopyBetweenLayouts(const oci::LayoutStore& from, const oci::LayoutStore& to,
                               const oci::Descriptor& root, const std::string& name);

}  // namespace plinth::registry
