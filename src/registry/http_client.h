// HttpClient: the one interface through which the registry module talks HTTP, so the
// distribution API, auth and retries can be tested against fakes and run against libcurl.
// Bodies stream: a request body is read from a ByteSource, a successful response body is written
// to a ByteSink; only error bodies (small JSON) are kept in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "util/byte_stream.h"
#include "util/result.h"

namespace plinth::registry {

enum class HttpMethod { kGet, kHead, kPost, kPut, kPatch, kDelete };

std::string_view MethodName(HttpMethod method);

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

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

// The libcurl client: keeps connections alive across requests, one handle per concurrent call.
std::unique_ptr<HttpClient> MakeCurlHttpClient();

}  // namespace plinth::registry
