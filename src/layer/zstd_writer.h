// ZstdWriter: a ByteSink that zstd-compresses what it is given into `out`, on libzstd's own
// worker threads (ZSTD_c_nbWorkers). The frame depends only on the input and the level (zstd's
// multithreaded output does not depend on the number of workers), so it is reproducible.
// libzstd bounds its buffers, so memory stays flat. Writes to `out` happen on the caller's thread.
#pragma once

#include <vector>

#include "util/byte_stream.h"

struct ZSTD_CCtx_s;

namespace plinth::layer {

class ZstdWriter : public ByteSink {
 public:
  // `level` 0 means zstd's default (3).
  ZstdWriter(ByteSink& out, int level = 0);
  ~ZstdWriter() override;
  ZstdWriter(const ZstdWriter&) = delete;
  ZstdWriter& operator=(const ZstdWriter&) = delete;

  using ByteSink::Write;
  Status Write(const void* data, size_t size) override;
  Status Finish();

 private:
  Status Pump(const void* data, size_t size, bool end);

  ByteSink& out_;
  ZSTD_CCtx_s* cctx_;
  std::vector<char> out_buf_;
  std::string init_error_;
};

}  // namespace plinth::layer
