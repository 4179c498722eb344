// SHA-256 of a whole stream or file, read in large blocks (the hash of a context file, a .deb,
// a blob being verified), without holding it in memory.
#pragma once

#include <string>

#include "util/byte_stream.h"
#include "util/result.h"

namespace plinth {

// Lower-case hex of the sha256 of everything `source` yields.
Result<std::string> Sha256HexOf(ByteSource& source);
Result<std::string> Sha256HexOfFile(const std::string& path);

}  // namespace plinth
