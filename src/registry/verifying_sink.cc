#include "registry/verifying_sink.h"

namespace plinth::registry {

Status VerifyingSink::Write(const void* data, size_t size) {
  if (size_ >= 0 && hash_.bytes() + size > static_cast<uint64_t>(size_))
    return IntegrityError("content of " + expected_.str() + " is longer than its " +
                              std::to_string(size_) + " bytes",
                          Location{where_});
  hash_.Update(data, size);
  return out_.Write(data, size);
}

Status VerifyingSink::Verify() {
  if (size_ >= 0 && hash_.bytes() != static_cast<uint64_t>(size_))
    return IntegrityError("content of " + expected_.str() + " is " +
                              std::to_string(hash_.bytes()) + " bytes, expected " +
                              std::to_string(size_),
                          Location{where_});
  if (expected_.algorithm() != "sha256") return Ok{};  // sizes checked; sha512 is not produced
  std::string got = "sha256:" + hash_.FinishHex();
  if (got != expected_.str())
    return IntegrityError("digest mismatch: expected " + expected_.str() + ", got " + got,
                          Location{where_});
  return Ok{};
}

}  // namespace plinth::registry
