#include "registry/registry_config.h"

namespace plinth::registry {

RegistryConfig RegistryHosts::For(const std::string& registry) const {
  auto it = configs_.find(registry);
  return it == configs_.end() ? RegistryConfig{} : it->second;
}

void RegistryHosts::Set(const std::string& registry, RegistryConfig config) {
  configs_[registry] = std::move(config);
}

void RegistryHosts::AllowPlainHttp(const std::string& registry) {
  configs_[registry].transport = Transport::kPlainHttp;
}

std::string RegistryHosts::BaseUrl(const std::string& registry) const {
  std::string host = registry == "docker.io" ? "registry-1.docker.io" : registry;
  return (For(registry).transport == Transport::kPlainHttp ? "http://" : "https://") + host;
}

}  // namespace plinth::registry
