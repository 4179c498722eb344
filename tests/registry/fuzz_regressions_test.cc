// Inputs the fuzz target of tests/registry/fuzz/ found, kept in its seed corpus, and what plinth
// must do with them: each is replayed as the registry's answers (registry/fuzz/scripted_http.h).
#include <gtest/gtest.h>

#include "registry/authenticator.h"
#include "registry/fuzz/scripted_http.h"
#include "registry/registry_client.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::registry {
namespace {

std::string Seed(const std::string& name) {
  auto text =
      ReadFile(::plinth::testing::SourceDir() + "/tests/registry/fuzz/answer-seeds/" + name);
  EXPECT_TRUE(text) << name;
  return text ? *text : "";
}

struct Replay {
  explicit Replay(const std::string& script) : http(script) {}
  testing::ScriptedHttp http;
  Authenticator auth{http, [](const std::string&) -> Result<std::optional<Credentials>> {
                       return std::optional<Credentials>();
                     }};
  RegistryHosts hosts;
  RegistryClient client{http, auth, hosts, "r.example",
                        RegistryClientOptions{.retry = RetryPolicy::None()}};
};

// A blob HEAD answered with a Content-Length that is not a number: std::stoll threw and plinth
// aborted.
TEST(RegistryClientFuzzRegressionTest, ContentLengthThatIsNotANumberIsAnError) {
  Replay replay(Seed("regression-content-length-not-a-number"));
  ASSERT_TRUE(replay.client.Ping());
  auto size = replay.client.StatBlob("team/app", oci::Digest::Of("layer"));
  ASSERT_FALSE(size);
  EXPECT_EQ(size.error().kind(), ErrorKind::kIo);
  EXPECT_NE(size.error().message().find("Content-Length"), std::string::npos)
      << size.error().message();
}

}  // namespace
}  // namespace plinth::registry
