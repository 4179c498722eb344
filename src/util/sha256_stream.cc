#include "util/sha256_stream.h"

#include <vector>

#include "util/sha256.h"

namespace plinth {

Result<std::string> Sha256HexOf(ByteSource& source) {
  Sha256 hash;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    PLINTH_TRY(size_t n, source.Read(buffer.data(), buffer.size()));
    if (n == 0) break;
    hash.Update(buffer.data(), n);
  }
  return hash.FinishHex();
}

Result<std::string> Sha256HexOfFile(const std::string& path) {
  PLINTH_TRY(FileSource in, FileSource::Open(path));
  return Sha256HexOf(in);
}

}  // namespace plinth
