// RegistryConfig: how plinth reaches one registry. Filled from plinth.yaml (per registry:
// mirrors, insecure, ca_file) and from a command's --insecure, which applies to that command's
// own source or destination registry only; there is no global switch.
//
// Mirrors are tried in order for pulls (manifests by digest and blobs are content-addressed, so
// any mirror's bytes are verified like the origin's); pushes and tag lookups go to the origin.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace plinth::registry {

enum class Transport { kHttps, kPlainHttp };

struct RegistryConfig {
  std::vector<std::string> mirrors;  // host[:port] of registries serving the same repositories
  Transport transport = Transport::kHttps;
  std::string ca_file;               // PEM bundle to trust instead of the system store
  // Hosts of token servers (Bearer realms) on other hosts that may receive this registry's
  // stored credentials, e.g. gitlab.com for registry.gitlab.com (see Authenticator).
  std::vector<std::string> token_realms;
};

class RegistryHosts {
 public:
  // The configuration for `registry` (host[:port]); a default one if none was set.
  RegistryConfig For(const std::string& registry) const;
  void Set(const std::string& registry, RegistryConfig config);
  // --insecure for one registry: plain http to it.
  void AllowPlainHttp(const std::string& registry);

  // "https://host" or "http://host"; Docker Hub's API lives at registry-1.docker.io.
  std::string BaseUrl(const std::string& registry) const;

 private:
  std::map<std::string, RegistryConfig> configs_;
};

}  // namespace plinth::registry
