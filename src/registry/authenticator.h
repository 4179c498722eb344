// Authenticator: turns a registry's 401 challenges and the user's credentials into
// Authorization headers, per registry host, shared by every transfer to it (thread-safe).
//
//   anonymous → no header until a 401 arrives
//   Basic     → "Basic base64(user:secret)" on every request after the first challenge
//   Bearer    → GET realm?service=S&scope=A&scope=B (Basic credentials if any) answers
//               {"token"|"access_token": T, "expires_in": N}; "Bearer T", cached per scope
//
// Stored credentials go to the registry's own host only: a token realm gets them when it is on
// the registry's host name, is one the user named (RegistryConfig::token_realms, or
// $PLINTH_REGISTRY_TOKEN_REALMS="registry=realm-host,…"), or is Docker Hub's auth.docker.io for
// docker.io; never over http when the registry is reached over https. Another realm is asked
// for an anonymous token.
//
// Errors are kUnauthorized and say which registry and what to do (`plinth login`); they never
// contain a username's secret or a token.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "registry/auth_challenge.h"
#include "registry/credentials.h"
#include "registry/http_client.h"
#include "registry/registry_config.h"

namespace plinth::registry {

// Finds credentials for a registry host; nullopt means anonymous.
using CredentialLookup =
    std::function<Result<std::optional<Credentials>>(const std::string& registry)>;

class Authenticator {
 public:
  Authenticator(HttpClient& http, CredentialLookup lookup)
      : http_(http), lookup_(std::move(lookup)) {}

  // The Authorization header value for a request to `registry` needing `scope`
  // ("repository:NAME:pull,push"), or "" to go anonymous.
  std::string HeaderFor(const std::string& registry, const std::string& scope);

  // Learns from a 401 answer: parses its challenge and obtains what HeaderFor needs next time.
  // `sent` is the header that was refused. kUnauthorized when credentials are missing or were
  // refused. `config` is the registry's (its CA file serves a token realm on its own host, its
  // token_realms may receive its credentials); `base_url` is how it is reached
  // (RegistryHosts::BaseUrl).
  Status OnUnauthorized(const std::string& registry, const std::string& scope,
                        const HttpResponse& answer, const std::string& sent,
                        const RegistryConfig& config, const std::string& base_url);

 private:
  struct HostState {
    std::optional<AuthChallenge> challenge;
    bool credentials_loaded = false;
    std::optional<Credentials> credentials;
    struct Token {
      std::string header;  // "Bearer …"
      std::chrono::steady_clock::time_point fetched;
    };
    std::map<std::string, Token> tokens;  // by scope
    std::string withheld_from;  // the realm last denied our credentials (for messages)
  };
  Result<std::optional<Credentials>> CredentialsFor(const std::string& registry, HostState& s);
  Result<std::string> FetchToken(const std::string& registry, const AuthChallenge& challenge,
                                 const std::string& scope, const std::optional<Credentials>& c,
                                 const RegistryConfig& config, const std::string& base_url);

  HttpClient& http_;
  CredentialLookup lookup_;
  std::mutex mu_;
  std::map<std::string, HostState> hosts_;
};

// "repository:NAME:pull" and friends.
std::string PullScope(const std::string& repository);
std::string PushScope(const std::string& repository);

}  // namespace plinth::registry
