// LayerStream: the one pass that turns a tar stream into a layer blob. Bytes written here are
// hashed (diff_id), compressed (gzip on worker threads, or zstd, or not at all), hashed again
// (digest) and written to `out`, chunk by chunk; memory stays flat whatever the layer's size.
// Finish() must be called once; a stream that was not finished produced no valid blob.
// With gzip, hashing and writing to `out` happen on the gzip writer's threads (see
// parallel_gzip_writer.h): `out` is written from another thread than the caller's.
#pragma once

#include <memory>

#include "layer/compression.h"
#include "layer/hashing_sink.h"
#include "layer/layer_info.h"
#include "util/byte_stream.h"

namespace plinth::layer {

class ParallelGzipWriter;
class ZstdWriter;

class LayerStream : public ByteSink {
 public:
  // `level` 0 picks the default: ISA-L level 2 for gzip, zstd's 3.
  LayerStream(ByteSink& out, Compression compression, int level = 0);
  ~LayerStream() override;

  using ByteSink::Write;
  Status Write(const void* data, size_t size) override;
  Result<LayerInfo> Finish();

 private:
  Compression compression_;
  HashingSink blob_;  // digest, then `out`
  Sha256 tar_sha_;    // diff_id
  std::unique_ptr<ParallelGzipWriter> gzip_;
  std::unique_ptr<ZstdWriter> zstd_;
  bool finished_ = false;
};

}  // namespace plinth::layer
