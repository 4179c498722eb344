// Sha256: a streaming SHA-256 through OpenSSL's EVP interface, which uses the CPU's SHA
// extensions where present (several times faster than coreutils' sha256sum).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace plinth {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // Lower-case hex of the digest. The hasher must not be used afterwards.
  std::string FinishHex();
  uint64_t bytes() const { return bytes_; }

  static std::string HexOf(std::string_view data);

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
  uint64_t bytes_ = 0;
};

std::string ToHex(const unsigned char* data, size_t size);

}  // namespace plinth
