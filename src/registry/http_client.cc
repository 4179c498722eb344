// What every HttpClient shares: method names, header lookup, the limits read from the
// environment, URL parts, and following redirects (kept out of libcurl so that the redirect cap
// and where credentials may go are the same for every client, fakes included).
#include "registry/http_client.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

#include "util/ascii.h"

namespace plinth::registry {
namespace {

// A whole number of seconds (or bytes/s) from 1 to 86400 in variable `name`, if it is set.
Status ReadLimit(const char* name, int64_t& out) {
  const char* text = std::getenv(name);
  if (!text || !*text) return Ok{};
  std::string_view s(text);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value < 1 || value > 86400)
    return InvalidInput(std::string("$") + name + " is '" + std::string(s.substr(0, 40)) +
                        "': set it to a whole number from 1 to 86400 (see docs/registry.md)");
  out = value;
  return Ok{};
}

Status ReadSeconds(const char* name, std::chrono::seconds& out) {
  int64_t value = out.count();
  PLINTH_CHECK(ReadLimit(name, value));
  out = std::chrono::seconds(value);
  return Ok{};
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// "scheme://authority" of an absolute URL as written.
std::string_view Origin(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return "";
  auto end = url.find_first_of("/?#", start + 3);
  return url.substr(0, end == std::string_view::npos ? url.size() : end);
}

// `location` (absolute, scheme-relative, absolute-path or relative) against `base`.
std::string ResolveLocation(std::string_view base, const std::string& location) {
  if (ParseUrl(location)) return location;
  std::string_view origin = Origin(base);
  if (location.starts_with("//")) return std::string(base.substr(0, base.find(':') + 1)) + location;
  if (location.starts_with("/")) return std::string(origin) + location;
  std::string_view path = base.substr(origin.size());
  path = path.substr(0, path.find_first_of("?#"));
  auto slash = path.rfind('/');
  std::string dir = slash == std::string_view::npos ? "/" : std::string(path.substr(0, slash + 1));
  return std::string(origin) + dir + location;
}

}  // namespace

std::string_view MethodName(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet: return "GET";
    case HttpMethod::kHead: return "HEAD";
    case HttpMethod::kPost: return "POST";
    case HttpMethod::kPut: return "PUT";
    case HttpMethod::kPatch: return "PATCH";
    case HttpMethod::kDelete: return "DELETE";
  }
  return "GET";
}

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n.size() == name.size() &&
        std::equal(n.begin(), n.end(), name.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return v;
  }
  return "";
}

Result<HttpLimits> HttpLimits::FromEnvironment() {
  HttpLimits limits;
  PLINTH_CHECK(ReadSeconds("PLINTH_REGISTRY_CONNECT_TIMEOUT", limits.connect_timeout));
  PLINTH_CHECK(ReadLimit("PLINTH_REGISTRY_LOW_SPEED_LIMIT", limits.low_speed_limit));
  PLINTH_CHECK(ReadSeconds("PLINTH_REGISTRY_LOW_SPEED_TIME", limits.low_speed_time));
  PLINTH_CHECK(ReadSeconds("PLINTH_REGISTRY_REQUEST_TIMEOUT", limits.request_timeout));
  PLINTH_CHECK(ReadSeconds("PLINTH_REGISTRY_RETRY_BUDGET", limits.retry_budget));
  return limits;
}

std::optional<UrlParts> ParseUrl(std::string_view url) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  std::string_view scheme = url.substr(0, sep);
  if (!std::isalpha(static_cast<unsigned char>(scheme.front())) ||
      !std::all_of(scheme.begin(), scheme.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '+' || c == '-' || c == '.';
      }))
    return std::nullopt;
  UrlParts parts;
  parts.scheme = AsciiLower(scheme);
  std::string_view authority = Origin(url).substr(sep + 3);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    parts.has_userinfo = true;
    authority.remove_prefix(at + 1);
  }
  if (authority.empty()) return std::nullopt;
  parts.authority = AsciiLower(authority);
  // The port follows the last ':' unless that is inside an IPv6 literal ("[::1]").
  auto colon = parts.authority.rfind(':');
  if (colon != std::string::npos && parts.authority.find(']', colon) == std::string::npos) {
    std::string port = parts.authority.substr(colon + 1);
    parts.host = parts.authority.substr(0, colon);
    if ((parts.scheme == "https" && port == "443") || (parts.scheme == "http" && port == "80"))
      parts.authority = parts.host;
  } else {
    parts.host = parts.authority;
  }
  return parts;
}

Result<HttpResponse> SendFollowingRedirects(HttpClient& http, HttpRequest request,
                                            int max_redirects) {
  const std::string first_url = request.url;
  const auto first = ParseUrl(first_url);
  bool follows = request.method == HttpMethod::kGet || request.method == HttpMethod::kHead;
  for (int redirects = 0;; ++redirects) {
    PLINTH_TRY(HttpResponse answer, http.Send(request));
    if (!follows || !IsRedirect(answer.status)) {
      if (answer.effective_url.empty()) answer.effective_url = request.url;
      return answer;
    }
    std::string location = answer.Header("location");
    if (location.empty()) return answer;
    if (redirects >= max_redirects)
      return Error(ErrorKind::kIo,
                   std::string(MethodName(request.method)) + " was redirected more than " +
                       std::to_string(max_redirects) + " times (last to " +
                       location.substr(0, 200) + "); the server is misconfigured",
                   Location{first_url});
    std::string next = ResolveLocation(request.url, location);
    auto parts = ParseUrl(next);
    if (!parts || (parts->scheme != "http" && parts->scheme != "https") || parts->has_userinfo)
      return Error(ErrorKind::kIo,
                   std::string(MethodName(request.method)) + " was redirected to '" +
                       next.substr(0, 200) +
                       "', which is not an http(s) URL without credentials in it",
                   Location{first_url});
    // Credentials (and the CA trusted for the registry) stay with the registry's own host,
    // and never go from https to http.
    bool same_host = first && parts->authority == first->authority;
    bool downgrade = first && first->scheme == "https" && parts->scheme == "http";
    if (!same_host || downgrade) {
      std::erase_if(request.headers, [](const auto& header) {
        return AsciiLower(header.first) == "authorization";
      });
    }
    if (!same_host) request.ca_file.clear();
    request.url = std::move(next);
  }
}

}  // namespace plinth::registry
