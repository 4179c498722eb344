// The registry client's bounds seen from the command line: a malformed limit in the environment,
// a registry that redirects forever and one that never answers all end in exit 2 with a message
// that says what happened, in seconds, whatever the defaults are.
#include <gtest/gtest.h>

#include <chrono>

#include "registry/local_http_server.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using registry::testing::LocalHttpServer;
using testing::RunPlinth;
using testing::ScratchDir;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(RegistryBoundsCliTest, MalformedLimitExitsTwoNamingTheVariable) {
  ScratchDir dir;
  auto run = RunPlinth({"--store", dir / "s", "pull", "--insecure", "127.0.0.1:9/team/app:1"},
                       {{"PLINTH_REGISTRY_LOW_SPEED_TIME", "fast"}});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("PLINTH_REGISTRY_LOW_SPEED_TIME"), std::string::npos) << run.err;
}

TEST(RegistryBoundsCliTest, RegistryThatRedirectsForeverExitsTwo) {
  LocalHttpServer server([](int fd, const std::string&) {
    LocalHttpServer::SendAll(fd, "HTTP/1.1 302 Found\r\nConnection: close\r\n"
                                 "Location: /v2/\r\nContent-Length: 0\r\n\r\n");
  });
  ASSERT_TRUE(server.ok());
  ScratchDir dir;
  auto run = RunPlinth({"--store", dir / "s", "pull", "--insecure", server.host() + "/team/app:1"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("redirected more than 5 times"), std::string::npos) << run.err;
  EXPECT_LE(server.requests(), 12);
}

TEST(RegistryBoundsCliTest, SilentRegistryEndsWithinTheLimitsSet) {
  LocalHttpServer server([&](int, const std::string&) { server.WaitStop(std::chrono::seconds(120)); });
  ASSERT_TRUE(server.ok());
  ScratchDir dir;
  auto start = std::chrono::steady_clock::now();
  auto run = RunPlinth({"--store", dir / "s", "pull", "--insecure", server.host() + "/team/app:1"},
                       {{"PLINTH_REGISTRY_LOW_SPEED_TIME", "1"},
                        {"PLINTH_REGISTRY_REQUEST_TIMEOUT", "2"},
                        {"PLINTH_REGISTRY_RETRY_BUDGET", "3"}});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("retry budget"), std::string::npos) << run.err;
  EXPECT_LT(SecondsSince(start), 40.0);
}

}  // namespace
}  // namespace plinth
