#include "layer/decompressing_source.h"

#include <archive.h>
#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include <cstring>
#include <string>
#include <vector>

#include "layer/hashing_source.h"
#include "util/archive_error.h"

namespace plinth::layer {
namespace {

constexpr size_t kInBuffer = 256 * 1024;

// The peeked magic bytes, then the rest of the source.
class PrefixedSource : public ByteSource {
 public:
  PrefixedSource(std::string prefix, ByteSource& rest) : prefix_(std::move(prefix)), rest_(rest) {}
  Result<size_t> Read(void* data, size_t size) override {
    if (pos_ < prefix_.size()) {
      size_t n = std::min(size, prefix_.size() - pos_);
      std::memcpy(data, prefix_.data() + pos_, n);
      pos_ += n;
      return n;
    }
    return rest_.Read(data, size);
  }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  ByteSource& rest_;
};

class GzipSource : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> in) : in_(std::move(in)), buf_(kInBuffer) {
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP;
  }
  Result<size_t> Read(void* data, size_t size) override {
    while (!done_) {
      if (state_.avail_in == 0 && !eof_) {
        PLINTH_TRY(size_t n, in_->Read(buf_.data(), buf_.size()));
        eof_ = n == 0;
        state_.next_in = buf_.data();
        state_.avail_in = static_cast<uint32_t>(n);
      }
      if (state_.block_state == ISAL_BLOCK_FINISH) {
        // End of a member: another may follow (pigz -i, cat a.gz b.gz).
        if (state_.avail_in == 0 && eof_) {
          done_ = true;
          break;
        }
        if (state_.avail_in == 0) continue;
        uint8_t* next = state_.next_in;
        uint32_t avail = state_.avail_in;
        isal_inflate_reset(&state_);
        state_.crc_flag = ISAL_GZIP;
        state_.next_in = next;
        state_.avail_in = avail;
      }
      state_.next_out = static_cast<uint8_t*>(data);
      state_.avail_out = static_cast<uint32_t>(std::min<size_t>(size, UINT32_MAX));
      int rc = isal_inflate(&state_);
      if (rc != ISAL_DECOMP_OK)
        return InvalidInput("decompressing gzip stream: " +
                            std::string(rc == ISAL_INCORRECT_CHECKSUM ? "CRC mismatch"
                                                                      : "corrupt data") +
                            " (isal code " + std::to_string(rc) + ")");
      size_t produced = size - state_.avail_out;
      if (produced > 0) return produced;
      if (eof_ && state_.avail_in == 0 && state_.block_state != ISAL_BLOCK_FINISH)
        return InvalidInput("decompressing gzip stream: truncated");
    }
    return size_t{0};
  }

 private:
  std::unique_ptr<ByteSource> in_;
  std::vector<uint8_t> buf_;
  inflate_state state_;
  bool eof_ = false;
  bool done_ = false;
};

class ZstdSource : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<ByteSource> in)
      : in_(std::move(in)), dctx_(ZSTD_createDCtx()), buf_(ZSTD_DStreamInSize()) {}
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }
  Result<size_t> Read(void* data, size_t size) override {
    for (;;) {
      if (in_buf_.pos == in_buf_.size && !eof_) {
        PLINTH_TRY(size_t n, in_->Read(buf_.data(), buf_.size()));
        eof_ = n == 0;
        in_buf_ = {buf_.data(), n, 0};
      }
      ZSTD_outBuffer out{data, size, 0};
      size_t consumed_before = in_buf_.pos;
      size_t rc = ZSTD_decompressStream(dctx_, &out, &in_buf_);
      if (ZSTD_isError(rc))
        return InvalidInput(std::string("decompressing zstd stream: ") + ZSTD_getErrorName(rc));
      // Only a call that moved data says whether a frame is complete: after a frame's end,
      // a call on no input answers with the header size a next frame would need (not 0).
      if (out.pos > 0 || in_buf_.pos != consumed_before) last_rc_ = rc;
      if (out.pos > 0) return out.pos;
      if (eof_ && in_buf_.pos == in_buf_.size) {
        if (last_rc_ != 0) return InvalidInput("decompressing zstd stream: truncated");
        return size_t{0};
      }
    }
  }

 private:
  std::unique_ptr<ByteSource> in_;
  ZSTD_DCtx* dctx_;
  std::vector<char> buf_;
  ZSTD_inBuffer in_buf_{nullptr, 0, 0};
  size_t last_rc_ = 0;
  bool eof_ = false;
};

// xz, bzip2 (and whatever else libarchive's filters know) through the "raw" format.
class ArchiveFilterSource : public ByteSource {
 public:
  explicit ArchiveFilterSource(std::unique_ptr<ByteSource> in)
      : in_(std::move(in)), a_(archive_read_new()), buf_(kInBuffer) {}
  ~ArchiveFilterSource() override { archive_read_free(a_); }

  Status Open() {
    archive_read_support_filter_all(a_);
    archive_read_support_format_raw(a_);
    if (archive_read_open(a_, this, nullptr, &ArchiveFilterSource::ReadCallback, nullptr) !=
        ARCHIVE_OK)
      return InvalidInput(std::string("opening compressed stream: ") + Message());
    archive_entry* entry;
    if (archive_read_next_header(a_, &entry) != ARCHIVE_OK)
      return InvalidInput(std::string("opening compressed stream: ") + Message());
    return Ok{};
  }
  Result<size_t> Read(void* data, size_t size) override {
    la_ssize_t n = archive_read_data(a_, data, size);
    if (n < 0) {
      if (!error_.empty()) return IoError(error_);
      return InvalidInput(std::string("decompressing stream: ") + Message());
    }
    return static_cast<size_t>(n);
  }

 private:
  std::string Message() { return ArchiveErrorText(a_); }
  static la_ssize_t ReadCallback(archive* a, void* self_ptr, const void** out) {
    auto* self = static_cast<ArchiveFilterSource*>(self_ptr);
    auto n = self->in_->Read(self->buf_.data(), self->buf_.size());
    if (!n) {
      self->error_ = n.error().ToString();
      archive_set_error(a, EIO, "%s", self->error_.c_str());
      return -1;
    }
    *out = self->buf_.data();
    return static_cast<la_ssize_t>(*n);
  }

  std::unique_ptr<ByteSource> in_;
  archive* a_;
  std::vector<char> buf_;
  std::string error_;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenDecompressed(ByteSource& compressed,
                                                     DetectedCompression* detected) {
  std::string magic(6, '\0');
  size_t have = 0;
  while (have < magic.size()) {
    PLINTH_TRY(size_t n, compressed.Read(magic.data() + have, magic.size() - have));
    if (n == 0) break;
    have += n;
  }
  magic.resize(have);
  auto starts = [&](std::string_view m) { return magic.compare(0, m.size(), m) == 0 && have >= m.size(); };
  auto prefixed = std::make_unique<PrefixedSource>(magic, compressed);
  DetectedCompression kind = DetectedCompression::kNone;
  if (starts("\x1f\x8b")) {
    kind = DetectedCompression::kGzip;
  } else if (starts("\x28\xb5\x2f\xfd")) {
    kind = DetectedCompression::kZstd;
  } else if (starts(std::string_view("\xfd" "7zXZ\0", 6))) {
    kind = DetectedCompression::kXz;
  } else if (starts("BZh")) {
    kind = DetectedCompression::kBzip2;
  }
  if (detected) *detected = kind;
  switch (kind) {
    case DetectedCompression::kGzip:
      return std::unique_ptr<ByteSource>(new GzipSource(std::move(prefixed)));
    case DetectedCompression::kZstd:
      return std::unique_ptr<ByteSource>(new ZstdSource(std::move(prefixed)));
    case DetectedCompression::kXz:
    case DetectedCompression::kBzip2: {
      auto source = std::make_unique<ArchiveFilterSource>(std::move(prefixed));
      PLINTH_CHECK(source->Open());
      return std::unique_ptr<ByteSource>(std::move(source));
    }
    case DetectedCompression::kNone:
      break;
  }
  return std::unique_ptr<ByteSource>(std::move(prefixed));
}

Result<oci::Digest> UncompressedDigest(ByteSource& compressed) {
  PLINTH_TRY(std::unique_ptr<ByteSource> plain, OpenDecompressed(compressed));
  HashingSource hashed(*plain);
  PLINTH_CHECK(hashed.Drain());
  return hashed.Finish();
}

}  // namespace plinth::layer
