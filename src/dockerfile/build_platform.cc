#include "dockerfile/build_platform.h"

#include <sys/utsname.h>

#include "dockerfile/text.h"
#include "util/ascii.h"

namespace plinth::dockerfile {

Result<BuildPlatform> BuildPlatform::Parse(const std::string& text_in) {
  std::string s = AsciiLower(text_in);
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t slash = s.find('/', start);
    parts.push_back(s.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  for (const std::string& p : parts) {
    if (p.empty()) return InvalidInput("invalid platform \"" + text_in + "\": empty component");
  }
  if (parts.size() < 2 || parts.size() > 3) {
    return InvalidInput("invalid platform \"" + text_in + "\": want os/arch[/variant]");
  }
  BuildPlatform p;
  p.os = parts[0];
  p.arch = parts[1];
  if (p.arch == "x86_64" || p.arch == "x86-64") p.arch = "amd64";
  if (p.arch == "aarch64") p.arch = "arm64";
  if (parts.size() == 3) p.variant = parts[2];
  if (p.arch == "arm64" && p.variant == "v8") p.variant.clear();
  return p;
}

BuildPlatform BuildPlatform::Host() {
  BuildPlatform p;
  struct utsname u;
  if (uname(&u) == 0) {
    std::string m = u.machine;
    if (m == "aarch64" || m == "arm64") p.arch = "arm64";
    else if (m.rfind("armv7", 0) == 0) { p.arch = "arm"; p.variant = "v7"; }
    else if (m == "riscv64") p.arch = "riscv64";
    else if (m == "ppc64le") p.arch = "ppc64le";
    else if (m == "s390x") p.arch = "s390x";
  }
  return p;
}

std::string BuildPlatform::ToString() const {
  std::string s = os + "/" + arch;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

void AddPlatformArgs(const BuildPlatform& build, const BuildPlatform& target, VarMap* vars) {
  vars->Set("BUILDPLATFORM", build.ToString());
  vars->Set("BUILDOS", build.os);
  vars->Set("BUILDARCH", build.arch);
  vars->Set("BUILDVARIANT", build.variant);
  vars->Set("TARGETPLATFORM", target.ToString());
  vars->Set("TARGETOS", target.os);
  vars->Set("TARGETARCH", target.arch);
  vars->Set("TARGETVARIANT", target.variant);
}

}  // namespace plinth::dockerfile
