// RegistryContext: what all registry traffic of one plinth process shares: the HTTP client
// (its connection pool), the authenticator (its tokens), the per-registry configuration, and a
// RegistryClient per registry host. Commands, the remote cache and the image source take one.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "registry/authenticator.h"
#include "registry/http_client.h"
#include "registry/registry_client.h"
#include "registry/registry_config.h"

namespace plinth::registry {

// Credentials from $REGISTRY_AUTH_FILE and the docker config (see CredentialStore).
CredentialLookup EnvironmentCredentials();

class RegistryContext {
 public:
  explicit RegistryContext(RegistryHosts hosts = {},
                           CredentialLookup credentials = EnvironmentCredentials(),
                           RegistryClientOptions options = {},
                           std::unique_ptr<HttpClient> http = MakeCurlHttpClient());
  RegistryContext(const RegistryContext&) = delete;
  RegistryContext& operator=(const RegistryContext&) = delete;

  // The client for `registry` (host[:port]), made on first use. Configure hosts() first.
  RegistryClient& Client(const std::string& registry);
  RegistryHosts& hosts() { return hosts_; }
  HttpClient& http() { return *http_; }

 private:
  RegistryHosts hosts_;
  RegistryClientOptions options_;
  std::unique_ptr<HttpClient> http_;
  Authenticator auth_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<RegistryClient>> clients_;
};

}  // namespace plinth::registry
