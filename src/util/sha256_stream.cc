#include "util/sha256_stream.h"

#include <memory>

#include "util/sha256.h"

namespace plinth {

Result<std::string> Sha256HexOf(ByteSource& source) {
  // Most inputs are small files (a build context): a buffer that is neither zeroed nor mmap'ed
  // keeps hashing one of them at a read and a hash.
  constexpr size_t kBufferSize = 64 << 10;
  std::unique_ptr<char[]> buffer(new char[kBufferSize]);
  Sha256 hash;
  for (;;) {
    PLINTH_TRY(size_t n, source.Read(buffer.get(), kBufferSize));
    if (n == 0) break;
    hash.Update(buffer.get(), n);
  }
  return hash.FinishHex();
}

Result<std::string> Sha256HexOfFile(const std::string& path) {
  PLINTH_TRY(FileSource in, FileSource::Open(path));
  return Sha256HexOf(in);
}

}  // namespace plinth
