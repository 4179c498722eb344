// TarReader: iterates the members of an uncompressed tar stream (ustar, PAX, GNU long names)
// from a ByteSource, and is itself a ByteSource over the current member's data. Names are
// untrusted: absolute names and names with a ".." component are refused, "./" prefixes and a
// directory's trailing slash are removed ("./" itself comes back as "."). Hard-link targets get
// the same checks; symlink targets are returned verbatim (the extractor judges them).
// Memory is bounded: PAX and GNU long-name records over 1 MiB are refused.
#pragma once

#include <optional>

#include "layer/tar_entry.h"
#include "util/byte_stream.h"

namespace plinth::layer {

class TarReader : public ByteSource {
 public:
  explicit TarReader(ByteSource& tar) : in_(tar) {}

  // The next member, or nullopt at the end of the archive. Skips what is left of the current
  // member's data.
  Result<std::optional<TarEntry>> Next();
  // Reads the current member's data; 0 at its end.
  Result<size_t> Read(void* data, size_t size) override;

 private:
  Status ReadFull(void* data, size_t size);
  Status Skip(uint64_t size);
  Result<std::string> ReadRecord(uint64_t size, const char* what);

  ByteSource& in_;
  uint64_t remaining_ = 0;  // data bytes of the current member not yet read
  size_t padding_ = 0;      // padding after them
  uint64_t offset_ = 0;     // for error messages
  bool done_ = false;
};

// A member name as the reader returns it, or an error: "./a//b/" -> "a/b", "./" -> ".",
// "/etc/x" and "a/../../x" are refused.
Result<std::string> CleanMemberName(std::string_view raw);

}  // namespace plinth::layer
