// AptSource: one "deb URI SUITE COMPONENTS" line of plinth's own apt configuration. By default a
// recipe uses "the system's Debian mirror": the URIs this machine's /etc/apt/sources.list and
// sources.list.d/*.{list,sources} already use for Debian (so a proxy or local mirror set up for
// the machine is honoured), with the recipe's suite, its -updates and its -security suites.
#pragma once

#include <string>
#include <vector>

#include "util/result.h"

namespace plinth::debian {

struct AptSource {
  std::string uri;     // "http://mirror/debian"
  std::string suite;   // "bookworm", "bookworm-updates", "bookworm-security"
  std::vector<std::string> components = {"main"};

  // One-line sources.list form, restricted to `arch` and signed by `keyring`.
  std::string ToLine(const std::string& arch, const std::string& keyring) const;
};

struct SystemMirrors {
  std::string debian;    // serves SUITE and SUITE-updates
  std::string security;  // serves SUITE-security; may be empty
};

// Reads the machine's apt sources under `etc_apt` (normally /etc/apt).
Result<SystemMirrors> FindSystemMirrors(const std::string& etc_apt = "/etc/apt");

// The default sources of a suite on the given mirrors.
std::vector<AptSource> DefaultSources(const SystemMirrors& mirrors, const std::string& suite);

}  // namespace plinth::debian
