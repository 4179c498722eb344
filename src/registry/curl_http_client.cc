// The libcurl HttpClient. Each Send borrows an easy handle from a small pool; handles keep their
// connection cache, so consecutive requests to one registry reuse a TCP/TLS connection.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>

#include "registry/http_client.h"

namespace plinth::registry {
namespace {

constexpr size_t kMaxKeptBody = 1 << 20;

struct Transfer {
  const HttpRequest* request;
  HttpResponse response;
  CURL* handle;
  std::optional<Error> error;  // a sink/source failure that aborted the transfer
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {  // a new response (after 100 Continue or a redirect)
    t->response.headers.clear();
    return size * count;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  t->response.headers.emplace_back(std::move(name), std::string(value));
  return size * count;
}

size_t OnWrite(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  long status = 0;
  curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &status);
  size_t n = size * count;
  if (status >= 200 && status < 300 && t->request->response_sink) {
    auto written = t->request->response_sink->Write(data, n);
    if (!written) {
      t->error = written.error();
      return 0;
    }
    return n;
  }
  if (t->response.body.size() < kMaxKeptBody) t->response.body.append(data, n);
  return n;
}

size_t OnRead(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->request->body) return 0;
  auto n = t->request->body->Read(data, size * count);
  if (!n) {
    t->error = n.error();
    return CURL_READFUNC_ABORT;
  }
  return *n;
}

Error CurlError(CURLcode code, const std::string& url) {
  std::string message = std::string("HTTP request failed: ") + curl_easy_strerror(code);
  Location where{url};
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SEND_FAIL_REWIND:
      return Error(ErrorKind::kRetryable, message, where);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
      return Error(ErrorKind::kIo,
                   message + " (TLS: trust the registry's CA with a per-registry ca_file, or "
                             "use --insecure for a plain-http registry)",
                   where);
    default:
      return Error(ErrorKind::kIo, message, where);
  }
}

class CurlHttpClient : public HttpClient {
 public:
  CurlHttpClient() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }
  ~CurlHttpClient() override {
    for (CURL* h : idle_) curl_easy_cleanup(h);
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    CURL* h = Borrow();
    Result<HttpResponse> result = Perform(h, request);
    Return(h);
    return result;
  }

 private:
  CURL* Borrow() {
    std::lock_guard lock(mu_);
    if (idle_.empty()) return curl_easy_init();
    CURL* h = idle_.back();
    idle_.pop_back();
    curl_easy_reset(h);
    return h;
  }
  void Return(CURL* h) {
    std::lock_guard lock(mu_);
    idle_.push_back(h);
  }

  Result<HttpResponse> Perform(CURL* h, const HttpRequest& request) {
    Transfer t{&request, {}, h, std::nullopt};
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    // A stalled transfer (under 1 byte/s for a minute) is a failure the caller may retry.
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 512L * 1024);
    curl_easy_setopt(h, CURLOPT_UPLOAD_BUFFERSIZE, 2L * 1024 * 1024);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnWrite);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    if (!request.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, request.ca_file.c_str());

    switch (request.method) {
      case HttpMethod::kGet:
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
        break;
      case HttpMethod::kHead:
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
        break;
      case HttpMethod::kDelete:
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
        break;
      case HttpMethod::kPost:
      case HttpMethod::kPut:
      case HttpMethod::kPatch: {
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, std::string(MethodName(request.method)).c_str());
        curl_easy_setopt(h, CURLOPT_READFUNCTION, OnRead);
        curl_easy_setopt(h, CURLOPT_READDATA, &t);
        int64_t size = request.body ? request.body_size : 0;
        if (size >= 0) curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
        break;
      }
    }

    curl_slist* headers = nullptr;
    // No "Expect: 100-continue" round trip: auth is settled before any large body is sent.
    headers = curl_slist_append(headers, "Expect:");
    for (const auto& [name, value] : request.headers)
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

    CURLcode code = curl_easy_perform(h);
    curl_slist_free_all(headers);
    if (t.error) return *t.error;
    if (code != CURLE_OK) return CurlError(code, request.url);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    t.response.status = static_cast<int>(status);
    char* effective = nullptr;
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
    if (effective) t.response.effective_url = effective;
    return std::move(t.response);
  }

  std::mutex mu_;
  std::vector<CURL*> idle_;
};

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

std::unique_ptr<HttpClient> MakeCurlHttpClient() { return std::make_unique<CurlHttpClient>(); }

}  // namespace plinth::registry
