// ScriptedHttp: an HttpClient that replays a script of answers, in order, whatever is asked; the
// registry fuzz target's input format, shared with the unit tests that replay what it found.
//
//   script := answer ("\n%%\n" answer)*
//   answer := status NL (name ":" value NL)* NL body       ; a bad status reads as 200
//
// Once the script is used up (or after 64 answers), every request fails as a refused
// connection would. Bodies of 2xx answers go to the request's sink when it has one.
#pragma once

#include <cctype>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "registry/http_client.h"

namespace plinth::registry::testing {

inline HttpResponse ParseAnswer(std::string_view text) {
  HttpResponse r;
  r.status = 200;
  size_t nl = text.find('\n');
  std::string_view status = text.substr(0, nl);
  if (!status.empty() && status.size() <= 3 &&
      status.find_first_not_of("0123456789") == std::string_view::npos)
    r.status = std::atoi(std::string(status).c_str());
  text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  for (;;) {
    nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    r.headers.emplace_back(name, std::string(value));
  }
  r.body = std::string(text);
  return r;
}

class ScriptedHttp : public HttpClient {
 public:
  explicit ScriptedHttp(std::string_view script) {
    for (;;) {
      size_t sep = script.find("\n%%\n");
      answers_.push_back(ParseAnswer(script.substr(0, sep)));
      if (sep == std::string_view::npos) break;
      script.remove_prefix(sep + 4);
    }
  }
  Result<HttpResponse> Send(const HttpRequest& request) override {
    if (next_ >= answers_.size() || next_ >= 64)
      return Error(ErrorKind::kIo, "connection refused", Location{request.url});
    HttpResponse r = answers_[next_++];
    r.effective_url = request.url;
    if (request.body) {  // consume the upload as curl would
      char buf[4096];
      for (;;) {
        PLINTH_TRY(size_t n, request.body->Read(buf, sizeof buf));
        if (n == 0) break;
      }
    }
    if (request.method == HttpMethod::kHead) r.body.clear();
    if (r.ok() && request.response_sink) {
      PLINTH_CHECK(request.response_sink->Write(r.body));
      r.body.clear();
    }
    return r;
  }

 private:
  std::vector<HttpResponse> answers_;
  size_t next_ = 0;
};

}  // namespace plinth::registry::testing
