// End to end, on the bundled Lucid fleet: `plinth build --audit --sbom --push-to` a real docker-registry
// (no referrers API) leaves an SBOM reachable from every image manifest it pushed, per-arch
// tags and the manifests of multi-platform indexes alike, through the sha256-<hex> fallback tag;
// each is an SPDX 2.3 document describing that very manifest, and valid against the schema.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "support/plinth_runner.h"
#include "support/registry_server.h"
#include "support/sbom_schema.h"
#include "support/test_env.h"
#include "util/sha256.h"

namespace plinth {
namespace {

using nlohmann::json;
using testing::RunPlinth;

json GetJson(const std::string& url) {
  auto r = testing::Run({"curl", "-sSf", url});
  EXPECT_EQ(r.exit_code, 0) << url << ": " << r.err;
  return r.exit_code == 0 ? json::parse(r.out) : json();
}

TEST(SbomExampleTest, EveryPushedImageOfTheLucidFleetHasItsSbom) {
  testing::RegistryServer registry;
  ASSERT_TRUE(registry.ok()) << registry.error();
  testing::ScratchDir dir;
  testing::CopyExampleFleet("lucid", dir / "fleet");
  auto env = testing::ContainersEnv(dir / "containers");
  env["PLINTH_DEBIAN_CACHE"] = testing::TestDebCache();
  utsname machine{};
  uname(&machine);
  std::string foreign = std::string(machine.machine) == "aarch64" ? "linux/amd64" : "linux/arm64";
  auto built =
      RunPlinth({"--store", dir / "store", "build", "--audit", "--sbom", "--push-to", registry.host(),
                 "--pull", "never", "--allow-unreachable", "mongodb", "--allow-unreachable",
                 "blockchain-engine@" + foreign, "--insecure", registry.host()},
                env, dir / "fleet");
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;

  // Every image manifest the registry holds under a tag (an index's too).
  const std::string base = registry.base_url() + "/v2/";
  std::set<std::pair<std::string, std::string>> manifests;  // repo, digest
  const json catalog = GetJson(base + "_catalog?n=1000");
  for (const auto& repo : catalog["repositories"]) {
    const json tags = GetJson(base + repo.get<std::string>() + "/tags/list");
    for (const auto& tag : tags["tags"]) {
      std::string t = tag;
      if (t.starts_with("sha256-")) continue;
      auto raw =
          testing::Run({"skopeo", "inspect", "--raw", "--tls-verify=false",
                        "docker://" + registry.host() + "/" + repo.get<std::string>() + ":" + t});
      ASSERT_EQ(raw.exit_code, 0) << raw.err;
      json doc = json::parse(raw.out);
      if (doc.contains("manifests")) {
        for (const auto& m : doc["manifests"]) manifests.emplace(repo, m["digest"]);
      } else {
        manifests.emplace(repo, "sha256:" + Sha256::HexOf(raw.out));
      }
    }
  }
  ASSERT_GE(manifests.size(), 20u);

  bool validated = false;
  for (const auto& [repo, digest] : manifests) {
    SCOPED_TRACE(repo + "@" + digest);
    auto tagged =
        testing::Run({"skopeo", "inspect", "--raw", "--tls-verify=false",
                      "docker://" + registry.host() + "/" + repo + ":sha256-" + digest.substr(7)});
    ASSERT_EQ(tagged.exit_code, 0) << tagged.err;
    json index = json::parse(tagged.out);
    ASSERT_TRUE(index.contains("manifests"));
    ASSERT_EQ(index["manifests"].size(), 1u);
    EXPECT_EQ(index["manifests"][0]["artifactType"], "application/spdx+json");
    auto artifact = testing::Run({"skopeo", "inspect", "--raw", "--tls-verify=false",
                                  "docker://" + registry.host() + "/" + repo + "@" +
                                      index["manifests"][0]["digest"].get<std::string>()});
    ASSERT_EQ(artifact.exit_code, 0) << artifact.err;
    json manifest = json::parse(artifact.out);
    EXPECT_EQ(manifest["subject"]["digest"], digest);
    auto blob = testing::Run(
        {"curl", "-sSf",
         base + repo + "/blobs/" + manifest["layers"][0]["digest"].get<std::string>()});
    ASSERT_EQ(blob.exit_code, 0) << blob.err;
    json sbom = json::parse(blob.out);
    EXPECT_EQ(sbom["packages"][0]["versionInfo"], digest);
    // One schema check of a service image (not a bare base): packages and its own files.
    if (!validated && repo.find("python") == std::string::npos && sbom["packages"].size() > 10 &&
        sbom.contains("files")) {
      auto valid = testing::ValidateSpdx23(blob.out);
      EXPECT_EQ(valid.exit_code, 0) << valid.output;
      validated = true;
    }
  }
  EXPECT_TRUE(validated);
}

}  // namespace
}  // namespace plinth
