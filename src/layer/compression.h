// Compression: how a layer blob is compressed, and the OCI media type that names it. gzip is
// the default (every registry and runtime reads it); zstd is smaller and faster to read but
// needs containerd >= 1.5 / podman; kNone writes the tar as is (digest == diff_id).
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace plinth::layer {

enum class Compression { kGzip, kZstd, kNone };

std::string_view MediaTypeOf(Compression compression);
std::string_view CompressionName(Compression compression);
// "gzip", "zstd" or "none" (as on the command line).
Result<Compression> ParseCompression(std::string_view name);

}  // namespace plinth::layer
