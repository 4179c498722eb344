// What a registry, a token server or a credential file says is untrusted: a field of the wrong
// type in an error body, a token answer or a docker config is an error value (or is skipped),
// never an exception that aborts plinth. Answers are replayed by the fake client of the fuzz
// target (registry/fuzz/scripted_http.h).
#include <gtest/gtest.h>

#include "registry/authenticator.h"
#include "registry/credential_store.h"
#include "registry/fuzz/scripted_http.h"
#include "registry/registry_client.h"
#include "support/test_env.h"

namespace plinth::registry {
namespace {

struct Replay {
  explicit Replay(const std::string& script,
                  std::optional<Credentials> credentials = std::nullopt)
      : http(script),
        auth(http, [credentials](const std::string&) -> Result<std::optional<Credentials>> {
          return credentials;
        }) {}
  testing::ScriptedHttp http;
  Authenticator auth;
  RegistryHosts hosts;
  RegistryClient client{http, auth, hosts, "r.example",
                        RegistryClientOptions{.retry = RetryPolicy::None()}};
};

HttpResponse Answer(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(RegistryErrorBodyTest, NumericCodeIsAnErrorValue) {
  // nlohmann's value("code", "") threw on the number: plinth aborted (exit 134).
  Error e = RegistryError(Answer(400, R"({"errors":[{"code":1}]})"), "listing tags", "r.example");
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(e.message().find("registry answered 400"), std::string::npos) << e.message();
}

TEST(RegistryErrorBodyTest, WronglyTypedFieldsAreSkippedAndStringsKept) {
  for (const char* body :
       {R"({"errors":[{"code":{"a":1},"message":["x"]}]})", R"({"errors":{"code":"X"}})",
        R"({"errors":[1,"two",null]})", R"({"errors":[{"code":null,"message":7}]})",
        R"([{"code":"X"}])", R"("errors")", "\xff\xfe not json"}) {
    Error e = RegistryError(Answer(404, body), "getting manifest", "r.example/a:b");
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound) << body;
    EXPECT_EQ(e.message(), "getting manifest: registry answered 404") << body;
  }
  Error e = RegistryError(
      Answer(400, R"({"errors":[{"code":7,"message":"bad"},{"code":"DIGEST_INVALID","message":3}]})"),
      "uploading", "r.example");
  EXPECT_EQ(e.kind(), ErrorKind::kIntegrity);
  EXPECT_EQ(e.message(), "uploading: registry answered 400 (bad); DIGEST_INVALID") << e.message();
}

TEST(RegistryErrorBodyTest, DetailIsBoundedAndPrintable) {
  std::string body = R"({"errors":[{"code":"X\u001b[31m","message":")" +
                     std::string(100000, 'm') + R"("}]})";
  Error e = RegistryError(Answer(400, body), "putting manifest", "r.example");
  EXPECT_LT(e.message().size(), 1024u);
  EXPECT_EQ(e.message().find('\x1b'), std::string::npos);
}

TEST(RegistryErrorBodyTest, ThroughTheClientANumericCodeIsNotFound) {
  Replay replay("404\n\n{\"errors\":[{\"code\":1,\"message\":{\"m\":2}}]}");
  auto tags = replay.client.ListTags("team/app");
  ASSERT_FALSE(tags.ok());
  EXPECT_EQ(tags.error().kind(), ErrorKind::kNotFound);
}

constexpr const char* kChallenge =
    "401\nWWW-Authenticate: Bearer realm=\"https://r.example/token\",service=\"r.example\"\n\n";

TEST(TokenAnswerTest, WronglyTypedTokenIsSkippedForAStringOne) {
  Replay replay(std::string(kChallenge) + "\n%%\n200\n\n" +
                R"({"token":5,"access_token":"good-token","expires_in":"soon"})" +
                "\n%%\n200\n\n{\"tags\":[\"a\",1,{\"b\":2}]}");
  auto tags = replay.client.ListTags("team/app");
  ASSERT_TRUE(tags.ok()) << tags.error().ToString();
  EXPECT_EQ(*tags, std::vector<std::string>{"a"});
}

TEST(TokenAnswerTest, AnswerWithoutAStringTokenIsUnauthorized) {
  for (const char* answer : {R"({"token":{"t":1},"access_token":[1]})", R"(["token"])", "7"}) {
    Replay replay(std::string(kChallenge) + "\n%%\n200\n\n" + answer);
    auto tags = replay.client.ListTags("team/app");
    ASSERT_FALSE(tags.ok()) << answer;
    EXPECT_EQ(tags.error().kind(), ErrorKind::kUnauthorized) << answer;
    EXPECT_NE(tags.error().message().find("holds no token"), std::string::npos)
        << tags.error().message();
  }
}

TEST(TokenAnswerTest, TokenThatWouldBreakTheHeaderIsRefused) {
  // A token with a line break would have been sent as a header of its own.
  Replay replay(std::string(kChallenge) + "\n%%\n200\n\n" +
                R"({"token":"abc\r\nX-Injected: 1"})" + "\n%%\n200\n\n{\"tags\":[]}");
  auto tags = replay.client.ListTags("team/app");
  ASSERT_FALSE(tags.ok());
  EXPECT_EQ(tags.error().kind(), ErrorKind::kUnauthorized);
  EXPECT_NE(tags.error().message().find("control characters"), std::string::npos)
      << tags.error().message();
}

TEST(CredentialFileTest, WronglyTypedUsernameIsNotAnAbort) {
  ::plinth::testing::ScratchDir dir;
  ::plinth::testing::WriteTestFile(dir / "config.json",
                                   R"({"auths": {"r.example": {"username": 5, "password": []}}})");
  CredentialStore store({.docker_config = dir / "config.json"});
  auto found = store.Lookup("r.example");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_FALSE(found->has_value());
}

TEST(CredentialFileTest, WronglyTypedHelperOrAuthsAreNotAnAbort) {
  ::plinth::testing::ScratchDir dir;
  ::plinth::testing::WriteTestFile(dir / "config.json",
                                   R"({"credHelpers": {"r.example": 7}, "auths": {"r.example": {}}})");
  CredentialStore store({.docker_config = dir / "config.json"});
  EXPECT_TRUE(store.Erase("r.example").ok());
  ::plinth::testing::WriteTestFile(dir / "auths.json", R"({"auths": "none"})");
  CredentialStore other({.docker_config = dir / "auths.json"});
  EXPECT_TRUE(other.Save("r.example", {"lucid", "pw"}).ok());
  auto found = other.Lookup("r.example");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->username, "lucid");
}

}  // namespace
}  // namespace plinth::registry
