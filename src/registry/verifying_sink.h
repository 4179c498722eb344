// VerifyingSink: passes a download through to another sink while hashing it, and refuses it the
// moment it grows past its expected size. Verify() after the last byte says whether the content
// is what its descriptor promised; callers commit nothing before that.
#pragma once

#include <string>

#include "oci/digest.h"
#include "util/byte_stream.h"
#include "util/sha256.h"

namespace plinth::registry {

class VerifyingSink : public ByteSink {
 public:
  // `size` < 0: unknown. `where` names the blob in errors (a reference or URL).
  VerifyingSink(ByteSink& out, oci::Digest expected, int64_t size, std::string where)
      : out_(out), expected_(std::move(expected)), size_(size), where_(std::move(where)) {}

  Status Write(const void* data, size_t size) override;
  using ByteSink::Write;
  // kIntegrity unless exactly the expected bytes went through.
  Status Verify();
  uint64_t bytes() const { return hash_.bytes(); }

 private:
  ByteSink& out_;
  oci::Digest expected_;
  int64_t size_;
  std::string where_;
  Sha256 hash_;
};

}  // namespace plinth::registry
