// HashingSink: forwards bytes to another sink while computing their SHA-256 and count. Used for
// a layer's digest (over the compressed blob) and diff_id (over the tar), which never mix.
#pragma once

#include "oci/digest.h"
#include "util/byte_stream.h"
#include "util/sha256.h"

namespace plinth::layer {

class HashingSink : public ByteSink {
 public:
  // `next` may be null: then bytes are only hashed and counted.
  explicit HashingSink(ByteSink* next) : next_(next) {}
  using ByteSink::Write;
  Status Write(const void* data, size_t size) override {
    sha_.Update(data, size);
    return next_ ? next_->Write(data, size) : Status(Ok{});
  }
  uint64_t bytes() const { return sha_.bytes(); }
  // The digest of everything written; the sink must not be written afterwards.
  oci::Digest Finish() { return oci::Digest::Sha256Hex(sha_.FinishHex()); }

 private:
  ByteSink* next_;
  Sha256 sha_;
};

}  // namespace plinth::layer
