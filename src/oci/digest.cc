#include "oci/digest.h"

#include "util/sha256.h"

namespace plinth::oci {

Result<Digest> Digest::Parse(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return InvalidInput("malformed digest '" + std::string(text) + "': expected sha256:<hex>");
  std::string algorithm(text.substr(0, colon));
  std::string hex(text.substr(colon + 1));
  size_t want = algorithm == "sha256" ? 64 : algorithm == "sha512" ? 128 : 0;
  if (want == 0)
    return InvalidInput("unsupported digest algorithm '" + algorithm + "' in '" +
                        std::string(text) + "'");
  if (hex.size() != want || hex.find_first_not_of("0123456789abcdef") != std::string::npos)
    return InvalidInput("malformed digest '" + std::string(text) + "': expected " +
                        std::to_string(want) + " lower-case hex digits");
  return Digest(std::move(algorithm), std::move(hex));
}

Digest Digest::Of(std::string_view bytes) { return Sha256Hex(Sha256::HexOf(bytes)); }

}  // namespace plinth::oci
