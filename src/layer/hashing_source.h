// HashingSource: passes another source's bytes through while computing their SHA-256 and
// count, and refuses to pass more than a limit. Reading a layer back (extraction, verify) checks
// a blob against its digest and its tar against its diff_id with two of these, one on each side
// of the decompressor, so the bytes are hashed as they are used and never read twice.
#pragma once

#include <cstdint>
#include <string>

#include "oci/digest.h"
#include "util/byte_stream.h"
#include "util/sha256.h"

namespace plinth::layer {

class HashingSource : public ByteSource {
 public:
  // More than `limit` bytes from `in` is an error whose message is `too_much`.
  explicit HashingSource(ByteSource& in, uint64_t limit = UINT64_MAX, std::string too_much = "")
      : in_(in), limit_(limit), too_much_(std::move(too_much)) {}
  Result<size_t> Read(void* data, size_t size) override {
    PLINTH_TRY(size_t n, in_.Read(data, size));
    if (n > limit_ - sha_.bytes()) return InvalidInput(too_much_);
    sha_.Update(data, n);
    return n;
  }
  uint64_t bytes() const { return sha_.bytes(); }
  // Reads what is left of `in`, so the digest covers the whole stream.
  Status Drain() {
    char buf[64 << 10];
    for (;;) {
      PLINTH_TRY(size_t n, Read(buf, sizeof buf));
      if (n == 0) return Ok{};
    }
  }
  // The digest of everything read; the source must not be read afterwards.
  oci::Digest Finish() { return oci::Digest::Sha256Hex(sha_.FinishHex()); }

 private:
  ByteSource& in_;
  uint64_t limit_;
  std::string too_much_;
  Sha256 sha_;
};

}  // namespace plinth::layer
