// Authentication and transport security: htpasswd basic auth and TLS with a test CA on a real
// docker-registry, credentials from docker's config.json and a credential helper, and the
// bearer-token flow against an in-memory HttpClient (distribution 2.8 cannot issue tokens
// without a separate token server).
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "registry/auth_challenge.h"
#include "registry/credential_store.h"
#include "registry/image_support.h"
#include "registry/pusher.h"
#include "registry/registry_context.h"
#include "support/registry_server.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::registry {
namespace {

constexpr const char* kPassword = "s3cret-Pa55word";

CredentialLookup Fixed(std::optional<Credentials> c) {
  return [c](const std::string&) { return Result<std::optional<Credentials>>(c); };
}

TEST(AuthChallengeTest, ParsesBearerWithQuotedParameters) {
  auto c = AuthChallenge::Parse(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/redis:pull,push")");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->scheme, AuthScheme::kBearer);
  EXPECT_EQ(c->Param("realm"), "https://auth.docker.io/token");
  EXPECT_EQ(c->Param("service"), "registry.docker.io");
  EXPECT_EQ(c->Param("scope"), "repository:library/redis:pull,push");
}

TEST(AuthChallengeTest, ParsesBasicAndRefusesUnknownSchemes) {
  auto c = AuthChallenge::Parse(R"(Basic realm="plinth-test")");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->scheme, AuthScheme::kBasic);
  EXPECT_EQ(c->Param("realm"), "plinth-test");
  EXPECT_FALSE(AuthChallenge::Parse("Negotiate abc").ok());
  EXPECT_FALSE(AuthChallenge::Parse(R"(Bearer realm="open)").ok());
}

class BasicAuthTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()) << server_.error(); }
  RegistryHosts Hosts() {
    RegistryHosts hosts;
    hosts.AllowPlainHttp(server_.host());
    return hosts;
  }
  testing::RegistryServer server_{{.user = "lucid", .password = kPassword}};
  testing::ScratchDir dir_;
};

TEST_F(BasicAuthTest, PushesWithCredentialsFromDockerConfig) {
  CredentialStore store({.docker_config = dir_ / "docker/config.json"});
  ASSERT_TRUE(store.Save(server_.host(), {"lucid", kPassword}).ok());
  auto text = ReadFile(dir_ / "docker/config.json");
  ASSERT_TRUE(text.ok());
  auto doc = nlohmann::json::parse(*text);
  EXPECT_TRUE(doc["auths"].contains(server_.host()));
  EXPECT_EQ(text->find(kPassword), std::string::npos);  // base64, as docker writes it

  RegistryContext ctx(Hosts(), [&](const std::string& r) { return store.Lookup(r); });
  auto layouts = oci::LayoutStore::Open(dir_ / "store");
  ASSERT_TRUE(layouts.ok());
  auto image = testing::AddImage(*layouts, {testing::AddLayer(*layouts, {{"a", "b"}})},
                                 "linux/arm64");
  auto pushed = Pusher(ctx.Client(server_.host()), *layouts).Push(image, "lucid/auth", "1");
  ASSERT_TRUE(pushed.ok()) << pushed.error().ToString();
}

TEST_F(BasicAuthTest, WrongPasswordIsUnauthorizedAndNeverShown) {
  RegistryContext ctx(Hosts(), Fixed(Credentials{"lucid", "wrong-Pa55word-xyz"}));
  auto ping = ctx.Client(server_.host()).Ping();
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().kind(), ErrorKind::kUnauthorized);
  std::string message = ping.error().ToString();
  EXPECT_NE(message.find("refused"), std::string::npos) << message;
  EXPECT_NE(message.find("plinth login " + server_.host()), std::string::npos) << message;
  EXPECT_EQ(message.find("wrong-Pa55word-xyz"), std::string::npos) << message;
  EXPECT_EQ(message.find(kPassword), std::string::npos) << message;
}

TEST_F(BasicAuthTest, NoCredentialsSaysToLogIn) {
  RegistryContext ctx(Hosts(), Fixed(std::nullopt));
  auto tags = ctx.Client(server_.host()).ListTags("lucid/auth");
  ASSERT_FALSE(tags.ok());
  EXPECT_EQ(tags.error().kind(), ErrorKind::kUnauthorized);
  EXPECT_NE(tags.error().message().find("requires credentials"), std::string::npos)
      << tags.error().message();
}

TEST_F(BasicAuthTest, CredentialHelperSuppliesTheSecret) {
  // A real credential helper program, speaking the docker-credential protocol.
  std::string bin = dir_ / "bin";
  testing::WriteTestFile(bin + "/docker-credential-plinthtest",
                         "#!/bin/sh\n"
                         "read server\n"
                         "if [ \"$1\" = get ] && [ \"$server\" = \"" + server_.host() + "\" ]; then\n"
                         "  printf '{\"ServerURL\":\"%s\",\"Username\":\"lucid\",\"Secret\":\"" +
                             std::string(kPassword) + "\"}' \"$server\"\n"
                         "  exit 0\n"
                         "fi\n"
                         "echo 'credentials not found in native keychain'\n"
                         "exit 1\n",
                         0755);
  testing::WriteTestFile(dir_ / "config.json",
                         R"({"credHelpers": {")" + server_.host() + R"(": "plinthtest"}})");
  std::string old_path = std::getenv("PATH");
  setenv("PATH", (bin + ":" + old_path).c_str(), 1);
  CredentialStore store({.docker_config = dir_ / "config.json"});
  auto found = store.Lookup(server_.host());
  auto missing = store.Lookup("other.example:5000");
  RegistryContext ctx(Hosts(), [&](const std::string& r) { return store.Lookup(r); });
  auto ping = ctx.Client(server_.host()).Ping();
  setenv("PATH", old_path.c_str(), 1);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->username, "lucid");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_TRUE(ping.ok()) << ping.error().ToString();
}

TEST(CredentialStoreTest, ReadsAuthFileBeforeDockerConfigAndErases) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "auth.json",
                         R"({"auths": {"https://index.docker.io/v1/": {"auth": "YWxpY2U6cHcx"}}})");
  testing::WriteTestFile(dir / "config.json",
                         R"({"auths": {"docker.io": {"auth": "Ym9iOnB3Mg=="}},
                             "HttpHeaders": {"X-Keep": "me"}})");
  CredentialStore store({.auth_file = dir / "auth.json", .docker_config = dir / "config.json"});
  auto hub = store.Lookup("registry-1.docker.io");
  ASSERT_TRUE(hub.ok() && hub->has_value());
  EXPECT_EQ((*hub)->username, "alice");
  EXPECT_EQ((*hub)->secret, "pw1");

  ASSERT_TRUE(store.Erase("docker.io").ok());
  EXPECT_FALSE(store.Lookup("docker.io")->has_value());
  EXPECT_EQ(store.Erase("docker.io").error().kind(), ErrorKind::kNotFound);
  auto kept = nlohmann::json::parse(*ReadFile(dir / "config.json"));
  EXPECT_EQ(kept["HttpHeaders"]["X-Keep"], "me");
}

TEST(CredentialStoreTest, MalformedAuthIsAnErrorWithoutTheSecret) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "config.json", R"({"auths": {"r.example": {"auth": "bm9jb2xvbg=="}}})");
  CredentialStore store({.docker_config = dir / "config.json"});
  auto found = store.Lookup("r.example");
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().ToString().find("config.json"), std::string::npos);
  EXPECT_EQ(found.error().ToString().find("nocolon"), std::string::npos);
}

TEST(TlsTest, TrustsTheRegistryCaOnlyWhenConfigured) {
  testing::RegistryServer server({.tls = testing::RegistryTls::kTls});
  ASSERT_TRUE(server.ok()) << server.error();
  {
    RegistryContext untrusted({}, Fixed(std::nullopt));
    auto ping = untrusted.Client(server.host()).Ping();
    ASSERT_FALSE(ping.ok());
    EXPECT_NE(ping.error().message().find("TLS"), std::string::npos) << ping.error().message();
  }
  RegistryHosts hosts;
  hosts.Set(server.host(), {.ca_file = server.ca_file()});
  RegistryContext trusted(hosts, Fixed(std::nullopt));
  auto ping = trusted.Client(server.host()).Ping();
  EXPECT_TRUE(ping.ok()) << ping.error().ToString();
}

// An in-memory registry front that demands a bearer token from a token realm.
class FakeTokenRegistry : public HttpClient {
 public:
  Result<HttpResponse> Send(const HttpRequest& request) override {
    std::string auth;
    for (const auto& [k, v] : request.headers)
      if (k == "Authorization") auth = v;
    requests.push_back(request.url);
    HttpResponse r;
    if (request.url.starts_with("https://auth.example/token")) {
      if (auth != "Basic " + std::string("bHVjaWQ6cHc=")) {  // lucid:pw
        r.status = 401;
        return r;
      }
      last_token_url = request.url;
      r.status = 200;
      r.body = R"({"token":"tok-123","expires_in":300})";
      return r;
    }
    if (auth == "Bearer tok-123") {
      r.status = 200;
      r.body = R"({"name":"lucid/x","tags":["a"]})";
      return r;
    }
    r.status = 401;
    r.headers = {{"www-authenticate",
                  R"(Bearer realm="https://auth.example/token",service="reg.example",scope="repository:lucid/x:pull")"}};
    return r;
  }
  std::vector<std::string> requests;
  std::string last_token_url;
};

// The realm is on another host: the user names it as trusted with reg.example's credentials.
RegistryHosts TrustingAuthExample() {
  RegistryHosts hosts;
  hosts.Set("reg.example", {.token_realms = {"auth.example"}});
  return hosts;
}

TEST(BearerAuthTest, FetchesATokenForTheScopeAndReusesIt) {
  auto fake = std::make_unique<FakeTokenRegistry>();
  FakeTokenRegistry* seen = fake.get();
  RegistryContext ctx(TrustingAuthExample(), Fixed(Credentials{"lucid", "pw"}), {},
                      std::move(fake));
  auto tags = ctx.Client("reg.example").ListTags("lucid/x");
  ASSERT_TRUE(tags.ok()) << tags.error().ToString();
  EXPECT_EQ(*tags, std::vector<std::string>{"a"});
  EXPECT_EQ(seen->last_token_url,
            "https://auth.example/token?service=reg.example&scope=repository%3Alucid%2Fx%3Apull");
  size_t before = seen->requests.size();
  ASSERT_TRUE(ctx.Client("reg.example").ListTags("lucid/x").ok());
  EXPECT_EQ(seen->requests.size(), before + 1);  // the cached token, no new challenge
}

TEST(BearerAuthTest, RefusedTokenRequestIsUnauthorizedWithoutSecret) {
  RegistryContext ctx(TrustingAuthExample(), Fixed(Credentials{"lucid", "not-the-pw"}), {},
                      std::make_unique<FakeTokenRegistry>());
  auto tags = ctx.Client("reg.example").ListTags("lucid/x");
  ASSERT_FALSE(tags.ok());
  EXPECT_EQ(tags.error().kind(), ErrorKind::kUnauthorized);
  EXPECT_EQ(tags.error().ToString().find("not-the-pw"), std::string::npos);
  EXPECT_NE(tags.error().ToString().find("credentials for reg.example were refused"),
            std::string::npos)
      << tags.error().ToString();
}

}  // namespace
}  // namespace plinth::registry
