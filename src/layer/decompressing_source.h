// OpenDecompressed: a ByteSource that yields the uncompressed bytes of `compressed`, whose
// format is detected from its first bytes: gzip (ISA-L inflate, concatenated members too;
// CRC checked), zstd (libzstd), xz and bzip2 (libarchive's filters), or none (passed through).
// Buffers are fixed-size, so memory stays flat. `compressed` must outlive the result.
#pragma once

#include <memory>

#include "oci/digest.h"
#include "util/byte_stream.h"

namespace plinth::layer {

enum class DetectedCompression { kNone, kGzip, kZstd, kXz, kBzip2 };

Result<std::unique_ptr<ByteSource>> OpenDecompressed(ByteSource& compressed,
                                                     DetectedCompression* detected = nullptr);

// The sha256 of what `compressed` decompresses to: a layer's diff_id, computed streaming.
Result<oci::Digest> UncompressedDigest(ByteSource& compressed);

}  // namespace plinth::layer
