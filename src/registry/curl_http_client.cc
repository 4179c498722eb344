// The libcurl HttpClient. Each Send borrows an easy handle from a small pool; handles keep their
// connection cache, so consecutive requests to one registry reuse a TCP/TLS connection.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <mutex>
#include <optional>

#include "registry/http_client.h"

namespace plinth::registry {
namespace {

struct Transfer {
  const HttpRequest* request;
  HttpResponse response;
  CURL* handle;
  std::optional<Error> error;  // a sink/source failure or a refused body that aborted it
  bool cut = false;            // an error body was cut at kMaxErrorBody: not a failure
};

long ResponseCode(const Transfer& t) {
  long status = 0;
  curl_easy_getinfo(t.handle, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

bool KeepsBody(const Transfer& t, long status) {
  return status >= 200 && status < 300 && !t.request->response_sink;
}

Error TooLarge(const Transfer& t, const std::string& size) {
  return IntegrityError("the answer (" + size + ") is larger than the " +
                            std::to_string(t.request->max_body >> 20) + " MiB (" +
                            std::to_string(t.request->max_body) +
                            " bytes) plinth accepts for a manifest or other JSON answer",
                        Location{t.request->url});
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {  // a new response (after 100 Continue or a redirect)
    t->response.headers.clear();
    return size * count;
  }
  if (line == "\r\n" || line == "\n") {
    // The end of the headers: refuse a kept body that says it is over the cap before any of it
    // is read.
    long status = ResponseCode(*t);
    if (t->request->method != HttpMethod::kHead && KeepsBody(*t, status)) {
      std::string length = t->response.Header("content-length");
      int64_t value = 0;
      auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), value);
      if (!length.empty() && ec == std::errc() && end == length.data() + length.size() &&
          value > t->request->max_body) {
        t->error = TooLarge(*t, "Content-Length " + length);
        return 0;
      }
    }
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
  long status = ResponseCode(*t);
  size_t n = size * count;
  if (status >= 200 && status < 300 && t->request->response_sink) {
    auto written = t->request->response_sink->Write(data, n);
    if (!written) {
      t->error = written.error();
      return 0;
    }
    return n;
  }
  if (KeepsBody(*t, status)) {
    if (static_cast<int64_t>(t->response.body.size() + n) > t->request->max_body) {
      t->error = TooLarge(*t, "over " + std::to_string(t->response.body.size()) + " bytes");
      return 0;
    }
    t->response.body.append(data, n);
    return n;
  }
  // An error or redirect body: what a message needs is at its start; the rest is not read.
  size_t room = kMaxErrorBody - std::min(kMaxErrorBody, t->response.body.size());
  t->response.body.append(data, std::min(n, room));
  if (n > room) {
    t->cut = true;
    return 0;
  }
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
  explicit CurlHttpClient(Result<HttpLimits> limits) : limits_(std::move(limits)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }
  ~CurlHttpClient() override {
    for (CURL* h : idle_) curl_easy_cleanup(h);
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    if (!limits_) return limits_.error().Context("reading the registry client's limits");
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
    const HttpLimits& limits = *limits_;
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(limits.connect_timeout.count()));
    // A stalled transfer (under low_speed_limit bytes/s for low_speed_time) is a failure the
    // caller may retry; so is one whose answer is kept in memory and takes too long in all
    // (blob transfers have no overall deadline: their size is the registry's to choose).
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(limits.low_speed_limit));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(limits.low_speed_time.count()));
    bool bulk = request.response_sink ||
                (request.body && (request.body_size < 0 || request.body_size > kMaxKeptBody));
    if (!bulk)
      curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(limits.request_timeout.count()));
    // Redirects are SendFollowingRedirects' to follow, with its cap and credential rules.
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
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
        break;
      case HttpMethod::kHead:
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
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
    if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && t.cut))
      return CurlError(code, request.url);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    t.response.status = static_cast<int>(status);
    char* effective = nullptr;
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
    if (effective) t.response.effective_url = effective;
    return std::move(t.response);
  }

  Result<HttpLimits> limits_;
  std::mutex mu_;
  std::vector<CURL*> idle_;
};

}  // namespace

std::unique_ptr<HttpClient> MakeCurlHttpClient() {
  return std::make_unique<CurlHttpClient>(HttpLimits::FromEnvironment());
}

std::unique_ptr<HttpClient> MakeCurlHttpClient(HttpLimits limits) {
  return std::make_unique<CurlHttpClient>(std::move(limits));
}

}  // namespace plinth::registry
