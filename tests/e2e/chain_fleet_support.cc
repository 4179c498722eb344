#include "e2e/chain_fleet_support.h"

#include "support/test_env.h"

namespace plinth::testing {

void WriteChainFleet(const std::string& dir, const std::string& registry) {
  std::string prefix = registry.empty() ? "" : registry + "/";
  std::string manifest =
                "version: 1\n" + (registry.empty() ? "" : "registry: \"" + registry + "\"\n") + R"(namespace: runners
image: "{namespace}/{name}:latest-{arch}"
platforms: [linux/amd64, linux/arm64]
tiers:
  app: {}
groups:
  base: {phase: 0}
  apps: {phase: 1}
bases:
  runner-base:
    dockerfile: base/Dockerfile
    context: base
    image: "{namespace}/base:latest-{arch}"
    group: base
services:
)";
  for (const std::string s : {"api", "worker", "web", "solo"})
    manifest += "  " + s + ":\n    dockerfile: " + s + "/Dockerfile\n    context: " + s +
                "\n    tier: app\n    group: apps\n";
  WriteTestFile(dir + "/plinth.yaml", manifest);
  WriteTestFile(dir + "/base/Dockerfile", "FROM scratch\nCOPY os-release /etc/os-release\nUSER 65532\n");
  WriteTestFile(dir + "/base/os-release", "ID=runners\n");
  for (const std::string s : {"api", "worker"}) {
    WriteTestFile(dir + "/" + s + "/Dockerfile", "FROM " + prefix +
                  "runners/base:latest-${TARGETARCH}\nCOPY app.txt /app/\nUSER 65532\n");
    WriteTestFile(dir + "/" + s + "/app.txt", s + "\n");
  }
  WriteTestFile(dir + "/web/Dockerfile", "FROM scratch AS assets\nCOPY index.html /srv/\nFROM " +
                prefix + "runners/api:latest-${TARGETARCH}\nCOPY --from=assets /srv/ /srv/\nUSER 65532\n");
  WriteTestFile(dir + "/web/index.html", "<p>web</p>\n");
  WriteTestFile(dir + "/solo/Dockerfile", "FROM scratch\nCOPY app.txt /app/\nUSER 65532\n");
  WriteTestFile(dir + "/solo/app.txt", "solo\n");
}

}  // namespace plinth::testing
