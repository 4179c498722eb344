#include "registry/authenticator.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "registry/base64.h"
#include "util/ascii.h"

namespace plinth::registry {
namespace {

constexpr size_t kMaxTokenSize = 64 * 1024;

std::string UrlEscape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// $PLINTH_REGISTRY_TOKEN_REALMS: "registry=realm-host[,registry=realm-host…]".
Result<std::vector<std::pair<std::string, std::string>>> EnvironmentRealms() {
  std::vector<std::pair<std::string, std::string>> out;
  const char* text = std::getenv("PLINTH_REGISTRY_TOKEN_REALMS");
  if (!text) return out;
  std::istringstream entries(text);
  for (std::string entry; std::getline(entries, entry, ',');) {
    while (!entry.empty() && entry.front() == ' ') entry.erase(0, 1);
    while (!entry.empty() && entry.back() == ' ') entry.pop_back();
    if (entry.empty()) continue;
    auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size())
      return InvalidInput("$PLINTH_REGISTRY_TOKEN_REALMS holds '" + entry.substr(0, 100) +
                          "': write registry=realm-host, separated by commas");
    out.emplace_back(AsciiLower(entry.substr(0, eq)), AsciiLower(entry.substr(eq + 1)));
  }
  return out;
}

// Whether the stored credentials of `registry` (reached at `base_url`) may go to `realm`.
Result<bool> MayReceiveCredentials(const std::string& registry, const UrlParts& realm,
                                   const RegistryConfig& config, const std::string& base_url) {
  auto own = ParseUrl(base_url);
  if (own && own->scheme == "https" && realm.scheme != "https") return false;  // a downgrade
  if (own && realm.host == own->host) return true;
  if (registry == "docker.io" && realm.host == "auth.docker.io") return true;
  auto named = [&](const std::string& host) {
    std::string h = AsciiLower(host);
    return h == realm.host || h == realm.authority;
  };
  if (std::any_of(config.token_realms.begin(), config.token_realms.end(), named)) return true;
  PLINTH_TRY(auto configured, EnvironmentRealms());
  for (const auto& [from, to] : configured)
    if (from == AsciiLower(registry) && named(to)) return true;
  return false;
}

std::string Withheld(const std::string& registry, const std::string& realm_host) {
  return "; plinth did not send the credentials for " + registry + " to the token server " +
         realm_host + ", which is not the registry's host or is reached over plain http: if " +
         "you trust it, set PLINTH_REGISTRY_TOKEN_REALMS=" + registry + "=" + realm_host;
}

std::string NeedsLogin(const std::string& registry) {
  return registry + " requires credentials: run `plinth login " + registry + "`";
}

std::string Refused(const std::string& registry) {
  return "credentials for " + registry + " were refused: check them with `plinth login " +
         registry + "`";
}

}  // namespace

std::string PullScope(const std::string& repository) { return "repository:" + repository + ":pull"; }
std::string PushScope(const std::string& repository) {
  return "repository:" + repository + ":pull,push";
}

Result<std::optional<Credentials>> Authenticator::CredentialsFor(const std::string& registry,
                                                                 HostState& s) {
  if (!s.credentials_loaded) {
    auto found = lookup_ ? lookup_(registry) : Result<std::optional<Credentials>>(std::nullopt);
    if (!found) return found.error().Context("finding credentials for " + registry);
    s.credentials = *found;
    s.credentials_loaded = true;
  }
  return s.credentials;
}

std::string Authenticator::HeaderFor(const std::string& registry, const std::string& scope) {
  std::lock_guard lock(mu_);
  HostState& s = hosts_[registry];
  if (!s.challenge) return "";
  if (s.challenge->scheme == AuthScheme::kBasic) {
    if (!s.credentials) return "";
    return "Basic " + Base64Encode(s.credentials->username + ":" + s.credentials->secret);
  }
  auto it = s.tokens.find(scope);
  return it == s.tokens.end() ? "" : it->second.header;
}

Status Authenticator::OnUnauthorized(const std::string& registry, const std::string& scope,
                                     const HttpResponse& answer, const std::string& sent,
                                     const RegistryConfig& config, const std::string& base_url) {
  std::string header = answer.Header("www-authenticate");
  if (header.empty())
    return Error(ErrorKind::kUnauthorized,
                 registry + " refused the request (401) without an authentication challenge");
  auto parsed = AuthChallenge::Parse(header);
  if (!parsed)
    return Error(ErrorKind::kUnauthorized, "authenticating to " + registry + ": " +
                                               parsed.error().message());
  std::unique_lock lock(mu_);
  HostState& s = hosts_[registry];
  PLINTH_TRY(std::optional<Credentials> credentials, CredentialsFor(registry, s));
  s.challenge = *parsed;
  if (parsed->scheme == AuthScheme::kBasic) {
    if (!credentials) return Error(ErrorKind::kUnauthorized, NeedsLogin(registry));
    if (sent.starts_with("Basic ")) return Error(ErrorKind::kUnauthorized, Refused(registry));
    return Ok{};
  }
  // Bearer: ask for what the registry says it needs and what we are about to do, together.
  std::set<std::string> scopes;
  if (!scope.empty()) scopes.insert(scope);
  std::istringstream wanted(parsed->Param("scope"));
  for (std::string one; wanted >> one;) scopes.insert(one);
  std::string joined;
  for (const auto& one : scopes) joined += (joined.empty() ? "" : " ") + one;
  auto cached = s.tokens.find(scope);
  if (!sent.empty() && cached != s.tokens.end() && sent == cached->second.header &&
      std::chrono::steady_clock::now() - cached->second.fetched < std::chrono::seconds(30)) {
    // A fresh token for this scope was refused: no point asking again. (An old one may simply
    // have expired, and is renewed below.)
    s.tokens.erase(scope);
    return Error(ErrorKind::kUnauthorized,
                 credentials ? "access to " + joined + " on " + registry + " was denied" +
                                   (s.withheld_from.empty() ? ""
                                                            : Withheld(registry, s.withheld_from))
                             : NeedsLogin(registry));
  }
  AuthChallenge challenge = *parsed;
  lock.unlock();  // the token request may take a while; don't block other transfers
  auto token = FetchToken(registry, challenge, joined, credentials, config, base_url);
  if (!token) return token.error();
  lock.lock();
  hosts_[registry].tokens[scope] = {"Bearer " + *token, std::chrono::steady_clock::now()};
  return Ok{};
}

Result<std::string> Authenticator::FetchToken(const std::string& registry,
                                              const AuthChallenge& challenge,
                                              const std::string& scope,
                                              const std::optional<Credentials>& credentials,
                                              const RegistryConfig& config,
                                              const std::string& base_url) {
  std::string realm = challenge.Param("realm");
  if (realm.empty())
    return Error(ErrorKind::kUnauthorized, registry + " sent a Bearer challenge without a realm");
  auto parts = ParseUrl(realm);
  if (!parts || (parts->scheme != "https" && parts->scheme != "http") || parts->has_userinfo)
    return Error(ErrorKind::kUnauthorized,
                 registry + " sent a Bearer realm '" + realm.substr(0, 200) +
                     "', which is not an http(s) URL without credentials in it");
  PLINTH_TRY(bool trusted, MayReceiveCredentials(registry, *parts, config, base_url));
  bool withheld = credentials && !trusted;
  {
    std::lock_guard lock(mu_);
    hosts_[registry].withheld_from = withheld ? parts->authority : "";
  }
  std::string url = realm + (realm.find('?') == std::string::npos ? "?" : "&");
  bool first = true;
  auto add = [&](const std::string& k, const std::string& v) {
    url += (first ? "" : "&") + k + "=" + UrlEscape(v);
    first = false;
  };
  if (!challenge.Param("service").empty()) add("service", challenge.Param("service"));
  std::istringstream scopes(scope);
  for (std::string one; scopes >> one;) add("scope", one);

  HttpRequest request;
  request.url = url;
  if (auto own = ParseUrl(base_url); own && own->host == parts->host)
    request.ca_file = config.ca_file;
  if (credentials && trusted)
    request.headers.emplace_back(
        "Authorization",
        "Basic " + Base64Encode(credentials->username + ":" + credentials->secret));
  // The realm URL carries no secret (credentials travel in the header), so it may be shown.
  auto answer = SendFollowingRedirects(http_, std::move(request));
  if (!answer) return answer.error().Context("getting a token for " + registry);
  if (answer->status == 401 || answer->status == 403)
    return Error(ErrorKind::kUnauthorized,
                 withheld      ? "the token server refused an anonymous token for " + registry +
                                     Withheld(registry, parts->authority)
                 : credentials ? Refused(registry)
                               : NeedsLogin(registry),
                 Location{realm});
  if (answer->status == 429 || answer->status >= 500)
    return Error(ErrorKind::kRetryable,
                 "getting a token for " + registry + ": token server answered " +
                     std::to_string(answer->status),
                 Location{realm});
  if (!answer->ok())
    return Error(ErrorKind::kUnauthorized,
                 "getting a token for " + registry + ": token server answered " +
                     std::to_string(answer->status),
                 Location{realm});
  // The token answer is the token server's (untrusted) JSON: only string fields are read.
  auto doc = nlohmann::json::parse(answer->body, nullptr, false);
  std::string token;
  if (doc.is_object()) {
    for (const char* name : {"token", "access_token"}) {
      auto it = doc.find(name);
      if (token.empty() && it != doc.end() && it->is_string()) token = it->get<std::string>();
    }
  }
  if (token.empty())
    return Error(ErrorKind::kUnauthorized,
                 "getting a token for " + registry + ": the answer holds no token",
                 Location{realm});
  // It travels in a header: printable, no spaces or line breaks, bounded.
  bool printable = std::all_of(token.begin(), token.end(),
                               [](unsigned char c) { return c > 0x20 && c < 0x7f; });
  if (!printable || token.size() > kMaxTokenSize)
    return Error(ErrorKind::kUnauthorized,
                 "getting a token for " + registry + ": the token server answered a token " +
                     (printable ? "longer than " + std::to_string(kMaxTokenSize) + " bytes"
                                : "holding spaces or control characters"),
                 Location{realm});
  return token;
}

}  // namespace plinth::registry
