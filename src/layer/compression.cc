#include "layer/compression.h"

#include "oci/media_types.h"

namespace plinth::layer {

std::string_view MediaTypeOf(Compression compression) {
  switch (compression) {
    case Compression::kGzip: return oci::kOciLayerGzip;
    case Compression::kZstd: return oci::kOciLayerZstd;
    case Compression::kNone: return oci::kOciLayerTar;
  }
  return oci::kOciLayerTar;
}

std::string_view CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
    case Compression::kNone: return "none";
  }
  return "none";
}

Result<Compression> ParseCompression(std::string_view name) {
  if (name == "gzip") return Compression::kGzip;
  if (name == "zstd") return Compression::kZstd;
  if (name == "none" || name == "uncompressed") return Compression::kNone;
  return InvalidInput("unknown compression '" + std::string(name) +
                      "' (expected gzip, zstd or none)");
}

}  // namespace plinth::layer
