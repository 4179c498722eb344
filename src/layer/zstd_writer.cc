#include "layer/zstd_writer.h"

#include <zstd.h>

#include <algorithm>
#include <thread>

namespace plinth::layer {

ZstdWriter::ZstdWriter(ByteSink& out, int level)
    : out_(out), cctx_(ZSTD_createCCtx()), out_buf_(ZSTD_CStreamOutSize()) {
  if (!cctx_) {
    init_error_ = "cannot allocate a zstd context";
    return;
  }
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level == 0 ? ZSTD_CLEVEL_DEFAULT : level);
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
  int workers = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  // A libzstd built without threads refuses this; it then compresses on the caller's thread,
  // which changes speed, not correctness.
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_nbWorkers, workers);
}

ZstdWriter::~ZstdWriter() { ZSTD_freeCCtx(cctx_); }

Status ZstdWriter::Pump(const void* data, size_t size, bool end) {
  if (!init_error_.empty()) return Internal(init_error_);
  ZSTD_inBuffer in{data, size, 0};
  for (;;) {
    ZSTD_outBuffer out{out_buf_.data(), out_buf_.size(), 0};
    size_t rc = ZSTD_compressStream2(cctx_, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(rc))
      return IoError(std::string("compressing layer with zstd: ") + ZSTD_getErrorName(rc));
    if (out.pos > 0) PLINTH_CHECK(out_.Write(out_buf_.data(), out.pos));
    if (end ? rc == 0 : in.pos == in.size) return Ok{};
  }
}

Status ZstdWriter::Write(const void* data, size_t size) { return Pump(data, size, false); }

Status ZstdWriter::Finish() { return Pump(nullptr, 0, true); }

}  // namespace plinth::layer
