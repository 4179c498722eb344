// libFuzzer target for what a registry answers: the input is a script of HTTP answers that a
// fake HttpClient replays, in order, to a RegistryClient (with the real Authenticator) doing
// the calls plinth makes: ping, blob and manifest HEADs, manifest GET and PUT, mounts, tag
// lists, referrers. Challenges (WWW-Authenticate), token answers, error bodies, Link, Location,
// Content-Length and Docker-Content-Digest headers all come from the input. Nothing may crash,
// throw, leak or hit undefined behaviour; errors are fine. The script's format is in
// scripted_http.h; the first line and the whole input are also parsed directly as a challenge
// and an error body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "registry/auth_challenge.h"
#include "registry/authenticator.h"
#include "registry/fuzz/scripted_http.h"
#include "registry/registry_client.h"

using namespace plinth;
using namespace plinth::registry;
using plinth::registry::testing::ScriptedHttp;

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
