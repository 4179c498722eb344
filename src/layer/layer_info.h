// LayerInfo: what a written layer blob is: its digest (sha256 of the compressed blob, the name
// it is stored and pushed under), its diff_id (sha256 of the uncompressed tar, what the image
// config's rootfs lists), both sizes and its media type.
#pragma once

#include <cstdint>
#include <string>

#include "oci/digest.h"

namespace plinth::layer {

struct LayerInfo {
  oci::Digest digest;
  oci::Digest diff_id;
  uint64_t size = 0;               // of the blob
  uint64_t uncompressed_size = 0;  // of the tar
  std::string media_type;
};

}  // namespace plinth::layer
