// Where stored credentials may go: the registry's own host, a token realm the user named, Docker
// Hub's auth.docker.io; never another host's realm, never over http when the registry is
// https, never along a redirect to another host or down to http. And redirects stop at the
// cap for every method that follows them. Against a recording fake client.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

#include "registry/authenticator.h"
#include "registry/base64.h"
#include "registry/registry_client.h"

namespace plinth::registry {
namespace {

const std::string kBasic = "Basic " + Base64Encode("lucid:pw");

struct Seen {
  std::string url;
  std::string authorization;
  std::string ca_file;
};

// Answers with `answer(request)` and records every request.
class RecordingHttp : public HttpClient {
 public:
  explicit RecordingHttp(std::function<HttpResponse(const HttpRequest&)> answer)
      : answer_(std::move(answer)) {}
  Result<HttpResponse> Send(const HttpRequest& request) override {
    Seen seen{request.url, "", request.ca_file};
    for (const auto& [name, value] : request.headers)
      if (name == "Authorization") seen.authorization = value;
    requests.push_back(seen);
    return answer_(request);
  }
  // The Authorization sent to URLs starting with `prefix` ("-" if none was asked).
  std::string AuthorizationTo(const std::string& prefix) const {
    for (const auto& s : requests)
      if (s.url.starts_with(prefix)) return s.authorization;
    return "-";
  }
  std::vector<Seen> requests;

 private:
  std::function<HttpResponse(const HttpRequest&)> answer_;
};

HttpResponse Answer(int status, HttpHeaders headers = {}, std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

// A registry that demands a Bearer token from `realm`; the token server gives one to anybody.
std::function<HttpResponse(const HttpRequest&)> BearerRegistry(const std::string& realm) {
  return [realm](const HttpRequest& request) {
    if (request.url.starts_with(realm)) return Answer(200, {}, R"({"token":"tok"})");
    for (const auto& [name, value] : request.headers)
      if (name == "Authorization" && value == "Bearer tok")
        return Answer(200, {}, R"({"tags":["a"]})");
    return Answer(401, {{"www-authenticate", "Bearer realm=\"" + realm + "\",service=\"svc\""}});
  };
}

struct Rig {
  Rig(std::function<HttpResponse(const HttpRequest&)> answer, std::string registry = "r.example")
      : http(std::move(answer)),
        auth(http,
             [](const std::string&) -> Result<std::optional<Credentials>> {
               return std::optional<Credentials>(Credentials{"lucid", "pw"});
             }),
        registry(std::move(registry)) {}
  RegistryClient Client() {
    return RegistryClient(http, auth, hosts, registry,
                          RegistryClientOptions{.retry = RetryPolicy::None()});
  }
  RecordingHttp http;
  Authenticator auth;
  RegistryHosts hosts;
  std::string registry;
};

TEST(CredentialScopeTest, RealmOnTheRegistryHostGetsTheCredentials) {
  Rig s(BearerRegistry("https://r.example/token"));
  s.hosts.Set("r.example", {.ca_file = "/ca.pem"});
  auto tags = s.Client().ListTags("team/app");
  ASSERT_TRUE(tags.ok()) << tags.error().ToString();
  EXPECT_EQ(s.http.AuthorizationTo("https://r.example/token"), kBasic);
  EXPECT_EQ(s.http.requests[1].ca_file, "/ca.pem");
}

TEST(CredentialScopeTest, RealmOnAnotherHostGetsNoCredentials) {
  Rig s(BearerRegistry("https://evil.example/token"));
  s.hosts.Set("r.example", {.ca_file = "/ca.pem"});
  auto tags = s.Client().ListTags("team/app");
  ASSERT_TRUE(tags.ok()) << tags.error().ToString();  // an anonymous token is asked for
  EXPECT_EQ(s.http.AuthorizationTo("https://evil.example/"), "");
  EXPECT_EQ(s.http.requests[1].ca_file, "");  // nor is the registry's CA trusted for it
}

TEST(CredentialScopeTest, RealmOverPlainHttpGetsNoCredentials) {
  Rig s(BearerRegistry("http://r.example/token"));
  ASSERT_TRUE(s.Client().ListTags("team/app").ok());
  EXPECT_EQ(s.http.AuthorizationTo("http://r.example/token"), "");
}

TEST(CredentialScopeTest, RefusedAnonymousTokenSaysHowToTrustTheRealm) {
  Rig s([](const HttpRequest& request) {
    if (request.url.starts_with("https://auth.other.example/")) return Answer(401);
    return Answer(401, {{"www-authenticate", R"(Bearer realm="https://auth.other.example/t")"}});
  });
  auto tags = s.Client().ListTags("team/app");
  ASSERT_FALSE(tags.ok());
  EXPECT_EQ(tags.error().kind(), ErrorKind::kUnauthorized);
  EXPECT_NE(tags.error().message().find("PLINTH_REGISTRY_TOKEN_REALMS=r.example=auth.other.example"),
            std::string::npos)
      << tags.error().message();
  EXPECT_EQ(s.http.AuthorizationTo("https://auth.other.example/"), "");
}

TEST(CredentialScopeTest, RealmTheUserNamedGetsTheCredentials) {
  {
    Rig s(BearerRegistry("https://gitlab.example/jwt/auth"));
    s.hosts.Set("r.example", {.token_realms = {"gitlab.example"}});
    ASSERT_TRUE(s.Client().ListTags("team/app").ok());
    EXPECT_EQ(s.http.AuthorizationTo("https://gitlab.example/"), kBasic);
  }
  {
    setenv("PLINTH_REGISTRY_TOKEN_REALMS", "other.example=x, r.example=gitlab.example", 1);
    Rig s(BearerRegistry("https://gitlab.example/jwt/auth"));
    auto tags = s.Client().ListTags("team/app");
    unsetenv("PLINTH_REGISTRY_TOKEN_REALMS");
    ASSERT_TRUE(tags.ok()) << tags.error().ToString();
    EXPECT_EQ(s.http.AuthorizationTo("https://gitlab.example/"), kBasic);
  }
  {
    setenv("PLINTH_REGISTRY_TOKEN_REALMS", "r.example", 1);
    Rig s(BearerRegistry("https://gitlab.example/jwt/auth"));
    auto tags = s.Client().ListTags("team/app");
    unsetenv("PLINTH_REGISTRY_TOKEN_REALMS");
    ASSERT_FALSE(tags.ok());
    EXPECT_EQ(tags.error().kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(tags.error().message().find("PLINTH_REGISTRY_TOKEN_REALMS"), std::string::npos);
  }
}

TEST(CredentialScopeTest, DockerHubTokenServerGetsTheCredentials) {
  Rig s(BearerRegistry("https://auth.docker.io/token"), "docker.io");
  ASSERT_TRUE(s.Client().ListTags("library/redis").ok());
  EXPECT_EQ(s.http.AuthorizationTo("https://auth.docker.io/"), kBasic);
}

TEST(CredentialScopeTest, RealmThatIsNotAnHttpUrlIsRefused) {
  for (const char* realm : {"file:///etc/passwd", "https://user:pw@r.example/token", "token"}) {
    Rig s([realm](const HttpRequest&) {
      return Answer(401, {{"www-authenticate", "Bearer realm=\"" + std::string(realm) + "\""}});
    });
    auto tags = s.Client().ListTags("team/app");
    ASSERT_FALSE(tags.ok()) << realm;
    EXPECT_EQ(tags.error().kind(), ErrorKind::kUnauthorized) << realm;
    EXPECT_EQ(s.http.requests.size(), 1u) << realm;
  }
}

// A registry with Basic auth whose authorized GETs are redirected to `location`, which serves
// at `target`.
std::function<HttpResponse(const HttpRequest&)> RedirectingRegistry(const std::string& location,
                                                                    const std::string& target) {
  return [location, target](const HttpRequest& request) {
    if (request.url.starts_with(target)) return Answer(200, {}, R"({"tags":["moved"]})");
    for (const auto& [name, value] : request.headers)
      if (name == "Authorization") return Answer(307, {{"location", location}});
    return Answer(401, {{"www-authenticate", R"(Basic realm="r")"}});
  };
}

TEST(CredentialScopeTest, RedirectToAnotherHostOrDownToHttpGoesWithoutCredentials) {
  for (const std::string target :
       {"https://cdn.example/tags", "http://r.example/tags", "//cdn.example/tags"}) {
    Rig s(RedirectingRegistry(target, target.starts_with("//") ? "https:" + target : target));
    s.hosts.Set("r.example", {.ca_file = "/ca.pem"});
    auto tags = s.Client().ListTags("team/app");
    ASSERT_TRUE(tags.ok()) << target << ": " << tags.error().ToString();
    ASSERT_EQ(s.http.requests.size(), 3u) << target;
    EXPECT_EQ(s.http.requests[1].authorization, kBasic) << target;
    EXPECT_EQ(s.http.requests[2].authorization, "") << target;
  }
  Rig cdn(RedirectingRegistry("https://cdn.example/tags", "https://cdn.example/tags"));
  cdn.hosts.Set("r.example", {.ca_file = "/ca.pem"});
  ASSERT_TRUE(cdn.Client().ListTags("team/app").ok());
  EXPECT_EQ(cdn.http.requests[2].ca_file, "");
}

TEST(CredentialScopeTest, RedirectOnTheSameHostKeepsTheCredentials) {
  Rig s(RedirectingRegistry("elsewhere/tags", "https://r.example/v2/team/app/tags/elsewhere"));
  auto tags = s.Client().ListTags("team/app");
  ASSERT_TRUE(tags.ok()) << tags.error().ToString();
  ASSERT_EQ(s.http.requests.size(), 3u);
  EXPECT_EQ(s.http.requests[2].authorization, kBasic);
}

TEST(CredentialScopeTest, RedirectsStopAtTheCapForHeadAndGet) {
  Rig s([](const HttpRequest& request) {
    return Answer(302, {{"location", request.url + "x"}});
  });
  auto stat = s.Client().StatBlob("team/app", oci::Digest::Of("layer"));
  ASSERT_FALSE(stat.ok());
  EXPECT_NE(stat.error().message().find("HEAD was redirected more than 5 times"),
            std::string::npos)
      << stat.error().message();
  EXPECT_EQ(s.http.requests.size(), size_t(1 + kMaxRedirects));
  auto tags = s.Client().ListTags("team/app");
  ASSERT_FALSE(tags.ok());
  EXPECT_NE(tags.error().message().find("GET was redirected more than 5 times"),
            std::string::npos);
}

TEST(CredentialScopeTest, OtherMethodsDoNotFollowRedirects) {
  Rig s([](const HttpRequest& request) { return Answer(307, {{"location", "/v2/x"}}); });
  auto put = s.Client().PutManifest("team/app", "latest", "{}",
                                    "application/vnd.oci.image.manifest.v1+json");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(s.http.requests.size(), 1u);
}

TEST(UrlTest, PartsThatDecideWhereCredentialsGo) {
  auto a = ParseUrl("HTTPS://User:pw@R.Example:443/x?y");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->scheme, "https");
  EXPECT_EQ(a->authority, "r.example");
  EXPECT_EQ(a->host, "r.example");
  EXPECT_TRUE(a->has_userinfo);
  auto b = ParseUrl("http://127.0.0.1:5000");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->authority, "127.0.0.1:5000");
  EXPECT_EQ(b->host, "127.0.0.1");
  auto c = ParseUrl("https://[::1]:8443/v2/");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "[::1]");
  EXPECT_FALSE(ParseUrl("/v2/x"));
  EXPECT_FALSE(ParseUrl("https:///x"));
}

}  // namespace
}  // namespace plinth::registry
