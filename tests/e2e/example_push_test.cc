// End to end, on the bundled Lucid fleet (issue 14): `plinth build --push-to` sends the whole
// example, the recipe-made distroless images included, to a real docker-registry, mounting the
// blobs that services share instead of uploading them again; a second machine with an empty
// store builds it again with `--cache-from` and builds nothing.
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/registry_server.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using testing::RunPlinth;

struct Finish {
  std::string outcome, digest;
};

std::map<std::string, Finish> Finishes(const std::string& out) {
  std::map<std::string, Finish> m;
  for (const auto& line : testing::JsonLines(out))
    if (line["event"] == "finish")
      m[line["target"]] = {line["outcome"], line.value("digest", std::string())};
  return m;
}

nlohmann::json Summary(const std::string& out) {
  for (const auto& line : testing::JsonLines(out))
    if (line["event"] == "summary") return line;
  return {};
}

// The bytes of the distinct blobs a store holds: what a push uploads when it sends each once.
int64_t DistinctBlobBytes(const std::string& store) {
  int64_t total = 0;
  for (const auto& e : std::filesystem::directory_iterator(store + "/blobs/sha256"))
    total += static_cast<int64_t>(e.file_size());
  return total;
}

TEST(ExamplePushTest, WholeFleetGoesToARegistryAndAnEmptyStoreBuildsNothingFromIt) {
  testing::RegistryServer registry;
  ASSERT_TRUE(registry.ok()) << registry.error();
  testing::ScratchDir dir;
  testing::CopyExampleFleet("lucid", dir / "fleet");
  auto env = testing::ContainersEnv(dir / "containers");
  env["PLINTH_DEBIAN_CACHE"] = testing::TestDebCache();
  utsname machine{};
  uname(&machine);
  std::string foreign = std::string(machine.machine) == "aarch64" ? "linux/amd64" : "linux/arm64";
  // What this machine cannot build, as the main job says it: mongo:7.0 has no recipe and no
  // registry is reachable; a RUN stage for the other architecture would need emulation.
  auto build = [&](const std::string& store, const std::string& flag) {
    return RunPlinth({"--store", dir / store, "build", flag, registry.host(), "--pull", "never",
                      "--allow-unreachable", "mongodb", "--allow-unreachable",
                      "blockchain-engine@" + foreign, "--insecure", registry.host(), "--format",
                      "json"},
                     env, dir / "fleet");
  };

  auto first = build("store1", "--push-to");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto built = Finishes(first.out);
  int built_count = 0;
  for (const auto& [target, f] : built) {
    if (target.starts_with("mongodb@") || target == "blockchain-engine@" + foreign) continue;
    EXPECT_EQ(f.outcome, "built") << target;
    ++built_count;
  }
  // Five distroless recipes are not all used; those that are, per platform, plus the fleet's.
  EXPECT_GE(built_count, 2 * (3 + 11) - 1) << first.out;
  EXPECT_TRUE(built.count("gcr.io/distroless/python3-debian12:nonroot@linux/amd64")) << first.out;

  // Every blob went over the wire at most once: the python base's layers were mounted into
  // each service's repository, not uploaded again.
  auto pushed = Summary(first.out)["pushed"];
  ASSERT_TRUE(pushed.is_object()) << first.out;
  EXPECT_GT(pushed["blobs_mounted"].get<int>(), 10) << pushed;
  EXPECT_LE(pushed["bytes_uploaded"].get<int64_t>(), DistinctBlobBytes(dir / "store1")) << pushed;

  // The recipe-made images live in the fleet's namespace on the registry, as do the
  // multi-platform indexes.
  auto recipe = testing::Run({"skopeo", "inspect", "--tls-verify=false", "--raw",
                              "docker://" + registry.host() +
                                  "/pickme/upstream-gcr-io-distroless-python3-debian12:nonroot-amd64"});
  EXPECT_EQ(recipe.exit_code, 0) << recipe.err;
  auto index = testing::Run({"skopeo", "inspect", "--tls-verify=false", "--raw",
                             "docker://" + registry.host() + "/pickme/lucid-api-gateway:latest"});
  ASSERT_EQ(index.exit_code, 0) << index.err;
  EXPECT_EQ(nlohmann::json::parse(index.out)["manifests"].size(), 2u) << index.out;

  auto second = build("store2", "--cache-from");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  auto again = Finishes(second.out);
  EXPECT_EQ(Summary(second.out)["built"], 0) << second.out;
  for (const auto& [target, f] : built) {
    if (f.outcome != "built") continue;
    ASSERT_TRUE(again.count(target)) << target;
    EXPECT_EQ(again[target].outcome, "cached") << target;
    EXPECT_EQ(again[target].digest, f.digest) << target;
  }
}

}  // namespace
}  // namespace plinth
