#include "e2e/scratch_fleet_support.h"

#include "support/test_env.h"

namespace plinth::testing {

void WriteScratchFleet(const std::string& dir, const std::vector<std::string>& services,
                       const std::vector<std::string>& platforms) {
  std::string platform_list;
  for (const auto& p : platforms) platform_list += (platform_list.empty() ? "" : ", ") + p;
  std::string manifest =
      "version: 1\nnamespace: cli\nimage: \"{namespace}/{name}:latest-{arch}\"\n"
      "platforms: [" +
      platform_list +
      "]\n"
      "tiers:\n  app: {}\ngroups:\n  apps: {phase: 1}\nservices:\n";
  for (const auto& s : services) {
    manifest +=
        "  " + s + ":\n    dockerfile: " + s + "/Dockerfile\n    tier: app\n    group: apps\n";
    WriteTestFile(dir + "/" + s + "/Dockerfile",
                  "FROM scratch\nCOPY hello.txt /hello.txt\nUSER 65532\n");
    WriteTestFile(dir + "/" + s + "/hello.txt", "hello from " + s + "\n");
  }
  WriteTestFile(dir + "/plinth.yaml", manifest);
}

}  // namespace plinth::testing
