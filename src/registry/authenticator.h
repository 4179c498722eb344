// Authenticator: turns a registry's 401 challenges and the user's credentials into
// Authorization headers, per registry host, shared by every transfer to it (thread-safe).
//
//   anonymous → no header until a 401 arrives
//   Basic     → "Basic base64(user:secret)" on every request after the first challenge
//   Bearer    → GET realm?service=S&scope=A&scope=B (Basic credentials if any) answers
//               {"token"|"access_token": T, "expires_in": N}; "Bearer T", cached per scope
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
  // refused. `ca_file` is used for a token realm on the registry's own host.
  Status OnUnauthorized(const std::string& registry, const std::string& scope,
                        const HttpResponse& answer, const std::string& sent,
                        const std::string& ca_file);

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
  };
  Result<std::optional<Credentials>> CredentialsFor(const std::string& registry, HostState& s);
  Result<std::string> FetchToken(const std::string& registry, const AuthChallenge& challenge,
                                 const std::string& scope, const std::optional<Credentials>& c,
                                 const std::string& ca_file);

  HttpClient& http_;
  CredentialLookup lookup_;
  std::mutex mu_;
  std::map<std::string, HostState> hosts_;
};

// "repository:NAME:pull" and friends.
std::string PullScope(const std::string& repository);
std::string PushScope(const std::string& repository);

}  // namespace plinth::registry
