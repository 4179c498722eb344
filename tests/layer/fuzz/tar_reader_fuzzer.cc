// libFuzzer target for the tar reader: any bytes are read as a tar stream, both as they are and
// through decompression detection (gzip, zstd, xz, bzip2 or none), and every member's data is
// read to its end. Nothing may crash, throw, leak or hit undefined behaviour; errors are fine.
// What one input may decompress to is capped so that a small bomb costs no more than a second.
#include <cstddef>
#include <cstdint>
#include <string>

#include "layer/decompressing_source.h"
#include "layer/tar_reader.h"

using namespace plinth;
using namespace plinth::layer;

namespace {

constexpr uint64_t kMaxBytes = 64 << 20;

void ReadAll(ByteSource& stream) {
  TarReader tar(stream);
  uint64_t total = 0;
  char buf[16 * 1024];
  for (;;) {
    auto next = tar.Next();
    if (!next || !*next) return;
    const TarEntry& e = **next;
    if (e.name.empty() || e.name.front() == '/') __builtin_trap();  // CleanMemberName's promise
    if (e.type == EntryType::kSymlink && e.link_target.empty()) __builtin_trap();
    uint64_t member = 0;
    for (;;) {
      auto n = tar.Read(buf, sizeof buf);
      if (!n) return;
      if (*n == 0) break;
      member += *n;
      total += *n;
      if (total > kMaxBytes) return;
    }
    if (member != e.size) __builtin_trap();  // a member yields exactly its size
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  {
    StringSource raw(input);
    ReadAll(raw);
  }
  StringSource compressed(input);
  auto stream = OpenDecompressed(compressed);
  if (stream) ReadAll(**stream);
  (void)CleanMemberName(input.substr(0, input.find('\0')));
  return 0;
}
