// CredentialStore: where registry credentials live, compatible with docker, podman and skopeo.
// Lookup order: $REGISTRY_AUTH_FILE (podman's auth.json), then $DOCKER_CONFIG/config.json or
// ~/.docker/config.json. In each file, for a registry host:
//
//   file        = { "auths": { key: entry, … }, "credHelpers": { host: helper, … },
//                   "credsStore": helper, … }            other fields are kept on rewrite
//   key         = host[":"port] | scheme "://" host[":"port] [path]
//                 ("https://index.docker.io/v1/", "index.docker.io" and "docker.io" are one)
//   entry       = { "auth": base64(username ":" secret) } | { "username": …, "password": … }
//   helper      = NAME, run as `docker-credential-NAME get|store|erase`:
//                 get:   stdin host          stdout {"ServerURL","Username","Secret"}
//                 store: stdin {"ServerURL","Username","Secret"}
//                 erase: stdin host
//
// credHelpers[host] wins over auths, auths over credsStore. `plinth login` saves to
// $REGISTRY_AUTH_FILE if set, else to the docker config (through its helper if it names one),
// as a 0600 file published by rename. Errors never include a secret.
#pragma once

#include <optional>
#include <string>

#include "registry/credentials.h"
#include "util/result.h"

namespace plinth::registry {

struct CredentialFiles {
  std::string auth_file;      // $REGISTRY_AUTH_FILE; may be empty
  std::string docker_config;  // $DOCKER_CONFIG/config.json or ~/.docker/config.json
};

class CredentialStore {
 public:
  explicit CredentialStore(CredentialFiles files) : files_(std::move(files)) {}
  static CredentialStore FromEnvironment();

  // The credentials for `registry` (a host[:port]), or nullopt for anonymous access.
  Result<std::optional<Credentials>> Lookup(const std::string& registry) const;
  Status Save(const std::string& registry, const Credentials& credentials) const;
  // Forgets the registry's credentials; NotFound if there were none.
  Status Erase(const std::string& registry) const;

  // "docker.io" for any spelling of Docker Hub; host[:port] otherwise.
  static std::string NormalizeKey(std::string_view key);

 private:
  std::string WritableFile() const;
  CredentialFiles files_;
};

}  // namespace plinth::registry
