// Digest: "algorithm:hex", the content address of a blob. Only sha256 is produced; sha512 is
// parsed so that foreign manifests do not fail to load. A layer's digest (of the compressed
// blob) and its diff_id (of the uncompressed tar) are both Digests but never the same thing.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace plinth::oci {

class Digest {
 public:
  Digest() = default;
  static Result<Digest> Parse(std::string_view text);
  static Digest Sha256Hex(std::string hex) { return Digest("sha256", std::move(hex)); }
  static Digest Of(std::string_view bytes);  // sha256 of bytes

  const std::string& algorithm() const { return algorithm_; }
  const std::string& hex() const { return hex_; }
  std::string str() const { return algorithm_ + ":" + hex_; }
  bool empty() const { return hex_.empty(); }

  friend bool operator==(const Digest&, const Digest&) = default;
  friend auto operator<=>(const Digest&, const Digest&) = default;

 private:
  Digest(std::string algorithm, std::string hex)
      : algorithm_(std::move(algorithm)), hex_(std::move(hex)) {}
  std::string algorithm_;
  std::string hex_;
};

}  // namespace plinth::oci
