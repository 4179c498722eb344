// libFuzzer target for what a registry answers: the input is a script of HTTP answers that a
// fake HttpClient replays, in order, to a RegistryClient (with the real Authenticator) doing
// the calls plinth makes: ping, blob and manifest HEADs, manifest GET and PUT, mounts, tag
// lists, referrers. Challenges (WWW-Authenticate), token answers, error bodies, Link, Location,
// Content-Length and Docker-Content-Digest headers all come from the input. Nothing may crash,
// throw, leak or hit undefined behaviour; errors are fine.
//
//   script := answer ("\n%%\n" answer)*
//   answer := status NL (name ":" value NL)* NL body       ; a bad status reads as 200
//
// The first line and the whole input are also parsed directly as a challenge and an error body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "registry/auth_challenge.h"
#include "registry/authenticator.h"
#include "registry/registry_client.h"

using namespace plinth;
using namespace plinth::registry;

namespace {

HttpResponse ParseAnswer(std::string_view text) {
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

// Replays the script; once it is used up, every request fails as a refused connection would.
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)AuthChallenge::Parse(input.substr(0, input.find('\n')));
  HttpResponse whole;
  whole.status = 400;
  whole.body = std::string(input);
  (void)RegistryError(whole, "fuzzing", "r.example");

  ScriptedHttp http(input);
  Authenticator auth(http, [](const std::string&) -> Result<std::optional<Credentials>> {
    return std::optional<Credentials>(Credentials{"user", "secret"});
  });
  RegistryHosts hosts;
  RegistryClientOptions options;
  options.retry = RetryPolicy::None();
  RegistryClient client(http, auth, hosts, "r.example", options);
  const std::string repo = "team/app";
  const oci::Digest digest = oci::Digest::Of("layer");

  (void)client.Ping();
  (void)client.StatBlob(repo, digest);
  (void)client.StatManifest(repo, "latest");
  (void)client.GetManifest(repo, "latest");
  (void)client.GetManifest(repo, digest.str());
  StringSink sink;
  (void)client.FetchBlob(repo, oci::Descriptor{.digest = digest, .size = 5}, sink);
  (void)client.MountBlob(repo, digest, "team/base");
  (void)client.PutManifest(repo, "latest", "{}", "application/vnd.oci.image.manifest.v1+json");
  (void)client.ListTags(repo);
  (void)client.Referrers(repo, digest, "application/example");
  return 0;
}
