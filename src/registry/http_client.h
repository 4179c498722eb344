// HttpClient: the one interface through which the registry module talks HTTP, so the
// distribution API, auth and retries can be tested against fakes and run against libcurl.
// Bodies stream: a request body is read from a ByteSource, a successful response body is written
// to a ByteSink; only small bodies (JSON answers, error bodies) are kept in memory, and those are
// bounded: a 2xx body kept in memory over `max_body` is refused (from its Content-Length before
// any of it is read, or as it streams), an error body is cut at kMaxErrorBody.
//
// Redirects are followed by SendFollowingRedirects, not by the client: at most kMaxRedirects
// for GET and HEAD (other methods get the 3xx answer), and the Authorization header does not
// follow a redirect to another host or from https to http.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/byte_stream.h"
#include "util/result.h"

namespace plinth::registry {

enum class HttpMethod { kGet, kHead, kPost, kPut, kPatch, kDelete };

std::string_view MethodName(HttpMethod method);

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// A 2xx body kept in memory (manifests, indexes, tag lists, tokens) is refused above this.
constexpr int64_t kMaxKeptBody = 4 << 20;
// Error bodies (and 3xx bodies) are kept up to this size; the rest is not read.
constexpr size_t kMaxErrorBody = 64 << 10;
constexpr int kMaxRedirects = 5;

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  std::string url;
  HttpHeaders headers;
  // The body, if any: `body` bytes of `body_size` length (-1: unknown, sent chunked).
  ByteSource* body = nullptr;
  int64_t body_size = 0;
  // Where a 2xx response body goes; nullptr keeps it in HttpResponse::body.
  ByteSink* response_sink = nullptr;
  // A CA bundle (PEM) to trust instead of the system store; empty: the system store.
  std::string ca_file;
  // Largest 2xx body kept in memory (without a sink): a larger one fails with kIntegrity,
  // naming the URL and the cap.
  int64_t max_body = kMaxKeptBody;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;  // names lower-cased, in arrival order
  std::string body;     // error bodies and, without a sink, small 2xx bodies
  std::string effective_url;

  // The first value of a header (name in any case), or "".
  std::string Header(std::string_view name) const;
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Fails (kRetryable) when no HTTP answer came: refused, reset, timed out, TLS failure are
  // kRetryable or kIo as they are transient or not. Any HTTP status is a response, not an error.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// How long the libcurl client waits, set from the environment (docs/registry.md):
//   PLINTH_REGISTRY_CONNECT_TIMEOUT   seconds to connect (TCP and TLS), default 30
//   PLINTH_REGISTRY_LOW_SPEED_LIMIT   bytes/s under which a transfer is stalled, default 1024
//   PLINTH_REGISTRY_LOW_SPEED_TIME    seconds a transfer may stay stalled, default 30
//   PLINTH_REGISTRY_REQUEST_TIMEOUT   seconds a request whose answer is kept in memory (not a
//                                     blob download or upload) may take in all, default 300
//   PLINTH_REGISTRY_RETRY_BUDGET      seconds an operation may spend on retries, default 120
// Each is a whole number from 1 to 86400.
struct HttpLimits {
  std::chrono::seconds connect_timeout{30};
  int64_t low_speed_limit = 1024;
  std::chrono::seconds low_speed_time{30};
  std::chrono::seconds request_timeout{300};
  std::chrono::seconds retry_budget{120};

  // The defaults overridden by the variables that are set; an error names a malformed one.
  static Result<HttpLimits> FromEnvironment();
};

// The libcurl client: keeps connections alive across requests, one handle per concurrent call.
// With a malformed limit in the environment, every request fails with that error.
std::unique_ptr<HttpClient> MakeCurlHttpClient();
std::unique_ptr<HttpClient> MakeCurlHttpClient(HttpLimits limits);

// Sends `request`, following redirects of GET and HEAD (at most `max_redirects`, then a kIo
// error naming the URL). The Authorization header and the CA file stay with the first URL's
// host: a redirect to another host, or from https to http, goes without them.
Result<HttpResponse> SendFollowingRedirects(HttpClient& http, HttpRequest request,
                                            int max_redirects = kMaxRedirects);

// The parts of an absolute URL that decide where credentials may go.
struct UrlParts {
  std::string scheme;     // lower case: "https", "http", …
  std::string authority;  // host[:port], lower case, without a default port (443/80)
  std::string host;       // without the port
  bool has_userinfo = false;
};
// nullopt when `url` is not absolute (scheme://authority…).
std::optional<UrlParts> ParseUrl(std::string_view url);

}  // namespace plinth::registry
