#include "oci/platform.h"

#include <sys/utsname.h>

namespace plinth::oci {
namespace {

std::string NormaliseArch(std::string arch, std::string* variant) {
  if (arch == "aarch64") arch = "arm64";
  if (arch == "x86_64" || arch == "x86-64") arch = "amd64";
  if (arch == "armhf") arch = "arm", *variant = variant->empty() ? "v7" : *variant;
  if (arch == "armel") arch = "arm", *variant = variant->empty() ? "v6" : *variant;
  if (arch == "arm64" && *variant == "v8") variant->clear();
  return arch;
}

}  // namespace

Result<Platform> Platform::Parse(std::string_view text) {
  Platform p;
  std::string s(text);
  size_t a = s.find('/');
  if (a == std::string::npos || a == 0)
    return InvalidInput("malformed platform '" + s + "': expected os/arch[/variant], e.g. linux/arm64");
  p.os = s.substr(0, a);
  std::string rest = s.substr(a + 1);
  size_t b = rest.find('/');
  std::string arch = rest.substr(0, b);
  if (b != std::string::npos) p.variant = rest.substr(b + 1);
  if (arch.empty() || p.variant.find('/') != std::string::npos)
    return InvalidInput("malformed platform '" + s + "': expected os/arch[/variant], e.g. linux/arm64");
  p.architecture = NormaliseArch(arch, &p.variant);
  static const char* kKnown[] = {"amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64",
                                 "mips64le"};
  bool known = false;
  for (const char* k : kKnown) known |= p.architecture == k;
  if (!known) return InvalidInput("unknown architecture '" + arch + "' in platform '" + s + "'");
  return p;
}

Platform Platform::Host() {
  struct utsname u;
  uname(&u);
  Platform p;
  p.architecture = NormaliseArch(u.machine, &p.variant);
  return p;
}

std::string Platform::str() const {
  std::string out = os + "/" + architecture;
  if (!variant.empty()) out += "/" + variant;
  return out;
}

}  // namespace plinth::oci
