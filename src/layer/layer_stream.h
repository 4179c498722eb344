// LayerStream: the one pass that turns a tar stream into a layer blob. Bytes written here are
// hashed (diff_id), compressed (gzip on worker threads, or zstd, or not at all), hashed again
// (digest) and written to `out`, chunk by chunk; memory stays flat whatever the layer's size.
// Finish() must be called once; a stream that was not finished produced no valid blob.
// With gzip, hashing and writing to `out` happen on the gzip writer's threads (see
// parallel_gzip_writer.h): `out` is written from another thread than the caller's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layer/compression.h"
#include "layer/hashing_sink.h"
#include "layer/layer_info.h"
#include "util/byte_stream.h"

namespace plinth::layer {

class ParallelGzipWriter;
class ZstdWriter;

class LayerStream : public ByteSink {
 public:
  // `level` 0 picks the default: libdeflate level 1 for gzip, zstd's 3.
  LayerStream(ByteSink& out, Compression compression, int level = 0);
  ~LayerStream() override;

  using ByteSink::Write;
  Status Write(const void* data, size_t size) override;
  // Writes up to `max` bytes read from `fd` (one read()); returns how many, 0 at end of file.
  // With gzip the bytes go straight into the compressor's chunk, not through a buffer.
  Result<size_t> ReadFrom(int fd, size_t max, const std::string& path);
  Result<LayerInfo> Finish();

 private:
  Compression compression_;
  HashingSink blob_;  // digest, then `out`
  Sha256 tar_sha_;    // diff_id
  std::unique_ptr<ParallelGzipWriter> gzip_;
  std::unique_ptr<ZstdWriter> zstd_;
  std::vector<char> read_buffer_;  // ReadFrom without gzip
  bool finished_ = false;
};

}  // namespace plinth::layer
