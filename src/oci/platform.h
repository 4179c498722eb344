// Platform: os/architecture[/variant] as OCI indexes and image configs carry it, parsed from
// the `linux/arm64` form that --platform takes, normalised as containerd does (aarch64 →
// arm64, x86_64 → amd64, arm64/v8 → arm64).
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace plinth::oci {

struct Platform {
  std::string os = "linux";
  std::string architecture;
  std::string variant;

  static Result<Platform> Parse(std::string_view text);
  // The machine plinth runs on.
  static Platform Host();
  std::string str() const;  // "linux/arm64" or "linux/arm/v7"
  friend bool operator==(const Platform&, const Platform&) = default;
  friend auto operator<=>(const Platform&, const Platform&) = default;
};

}  // namespace plinth::oci
