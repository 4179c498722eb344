// End to end: `plinth build --push` to a real docker-registry, and `--cache-from` on a second,
// empty store: the second machine builds nothing and pulls every image instead.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/registry_server.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using testing::RunPlinth;

// A small fleet on the registry under test: a base built from scratch and a service on it.
void WriteFleet(const std::string& dir, const std::string& registry) {
  testing::WriteTestFile(dir + "/plinth.yaml", "version: 1\nregistry: \"" + registry + "\"\n" +
R"(namespace: pickme
image: "{namespace}/lucid-{name}:latest-{arch}"
platforms: [linux/amd64]
tiers:
  foundation:
    runtime_base: {allow: ["fleet:*"]}
groups:
  base: {phase: 0}
  foundation: {phase: 1}
bases:
  lucid-base:
    dockerfile: base/Dockerfile
    context: base
    image: "{namespace}/lucid-base:latest-{arch}"
    group: base
services:
  redis:
    dockerfile: redis/Dockerfile
    context: redis
    tier: foundation
    group: foundation
    base: lucid-base
)");
  testing::WriteTestFile(dir + "/base/Dockerfile",
                         "FROM scratch\nCOPY etc/ /etc/\nUSER 65532\n");
  testing::WriteTestFile(dir + "/base/etc/os-release", "ID=lucid\n");
  testing::WriteTestFile(dir + "/redis/Dockerfile",
                         "FROM scratch AS src\nCOPY server.txt /app/\n"
                         "FROM " + registry + "/pickme/lucid-base:latest-${TARGETARCH}\n"
                         "COPY --from=src /app/ /app/\nUSER 65532\n");
  testing::WriteTestFile(dir + "/redis/server.txt", "redis\n");
}

std::map<std::string, std::string> Outcomes(const std::string& out) {
  std::map<std::string, std::string> m;
  for (const auto& line : testing::JsonLines(out))
    if (line["event"] == "finish") m[line["target"]] = line["outcome"];
  return m;
}

TEST(FleetPushTest, SecondStoreSharingTheRegistryBuildsNothing) {
  testing::RegistryServer registry;
  ASSERT_TRUE(registry.ok()) << registry.error();
  testing::ScratchDir dir;
  WriteFleet(dir / "fleet", registry.host());
  auto first = RunPlinth({"--store", dir / "store1", "build", "--push", "--insecure",
                          registry.host(), "--format", "json"}, {}, dir / "fleet");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto built = Outcomes(first.out);
  EXPECT_EQ(built["lucid-base@linux/amd64"], "built");
  EXPECT_EQ(built["redis@linux/amd64"], "built");
  auto inspect = testing::Run({"skopeo", "inspect", "--tls-verify=false",
                               "docker://" + registry.host() + "/pickme/lucid-redis:latest-amd64"});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;

  auto second = RunPlinth({"--store", dir / "store2", "build", "--cache-from", registry.host(),
                           "--insecure", registry.host(), "--format", "json"}, {}, dir / "fleet");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  auto again = Outcomes(second.out);
  EXPECT_EQ(again["lucid-base@linux/amd64"], "cached");
  EXPECT_EQ(again["redis@linux/amd64"], "cached");
  EXPECT_EQ(RunPlinth({"--store", dir / "store2", "store", "verify"}).exit_code, 0);
  // The pulled image is the pushed one, digest for digest.
  auto a = RunPlinth({"--store", dir / "store1", "image", "inspect", "--format", "json",
                      registry.host() + "/pickme/lucid-redis:latest-amd64"});
  auto b = RunPlinth({"--store", dir / "store2", "image", "inspect", "--format", "json",
                      registry.host() + "/pickme/lucid-redis:latest-amd64"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(nlohmann::json::parse(a.out)["digest"], nlohmann::json::parse(b.out)["digest"]);
}

}  // namespace
}  // namespace plinth
