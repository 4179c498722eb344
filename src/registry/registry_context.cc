#include "registry/registry_context.h"

#include <cstdlib>

#include "registry/credential_store.h"

namespace plinth::registry {

CredentialLookup EnvironmentCredentials() {
  return [](const std::string& registry) {
    return CredentialStore::FromEnvironment().Lookup(registry);
  };
}

RegistryContext::RegistryContext(RegistryHosts hosts, CredentialLookup credentials,
                                 RegistryClientOptions options, std::unique_ptr<HttpClient> http)
    : hosts_(std::move(hosts)), options_(options), http_(std::move(http)),
      auth_(*http_, std::move(credentials)) {
  // $PLINTH_REGISTRY_RETRY_BUDGET bounds retried calls (a malformed value is reported by the
  // curl client on the first request).
  if (std::getenv("PLINTH_REGISTRY_RETRY_BUDGET")) {
    if (auto limits = HttpLimits::FromEnvironment(); limits)
      options_.retry.budget = limits->retry_budget;
  }
}

RegistryClient& RegistryContext::Client(const std::string& registry) {
  std::lock_guard lock(mu_);
  auto& client = clients_[registry];
  if (!client) client = std::make_unique<RegistryClient>(*http_, auth_, hosts_, registry, options_);
  return *client;
}

}  // namespace plinth::registry
