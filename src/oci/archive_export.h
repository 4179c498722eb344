// Exports one image from the store as a single tar file, streamed blob by blob:
//
//   oci-archive     an OCI image layout (oci-layout, index.json naming the image, blobs/),
//                   what `skopeo copy oci-archive:` and `podman load` read;
//   docker-archive  the same layout plus Docker's manifest.json ([{Config, RepoTags, Layers}]),
//                   the format `docker save` writes since Docker 25, which `docker load` and
//                   `podman load` read. A docker archive holds one platform's image.
//
// Entries are written in a fixed order with mtime 0 and owner 0, so the same image gives the
// same archive bytes. The archive is written to a temp file and renamed when complete.
#pragma once

#include <string>

#include "oci/layout_store.h"

namespace plinth::oci {

enum class ArchiveFormat { kOci, kDocker };

Result<ArchiveFormat> ParseArchiveFormat(const std::string& text);

struct ExportOptions {
  ArchiveFormat format = ArchiveFormat::kOci;
  std::string name;   // the image name in the store (also the tag written into the archive)
  Platform platform;  // for docker-archive of a multi-platform index
};

// Returns the number of blobs written (every blob the image reaches: an archive starts empty).
Result<size_t> ExportArchive(const LayoutStore& store, const ExportOptions& options,
                             const std::string& output_path);

}  // namespace plinth::oci
