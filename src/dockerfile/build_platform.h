// BuildPlatform: an `os/arch[/variant]` platform as Dockerfiles name them, and the automatic
// platform ARGs BuildKit defines (BUILDPLATFORM, BUILDOS, BUILDARCH, BUILDVARIANT,
// TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT).
#pragma once

#include <string>

#include "dockerfile/shell_lex.h"
#include "util/result.h"

namespace plinth::dockerfile {

struct BuildPlatform {
  std::string os = "linux";
  std::string arch = "amd64";
  std::string variant;

  // "linux/arm64", "linux/arm/v7"; arm64 gets no default variant, as BuildKit prints it.
  static Result<BuildPlatform> Parse(const std::string& text);
  // The machine plinth runs on.
  static BuildPlatform Host();
  std::string ToString() const;
  bool operator==(const BuildPlatform&) const = default;
};

// Adds the eight automatic platform ARGs to `vars`.
void AddPlatformArgs(const BuildPlatform& build, const BuildPlatform& target, VarMap* vars);

}  // namespace plinth::dockerfile
