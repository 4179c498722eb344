// End to end: `plinth build` of an image for two platforms joins them in an OCI image index
// under the image's multi-platform name, as `docker buildx build --platform a,b` does: skopeo
// sees an index listing both platform manifests (the per-arch tags stay), picks the arm64 one
// when asked, a rebuild gives the same digest, and `--push` puts the index in a real registry.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/registry_server.h"
#include "support/test_env.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth {
namespace {


using testing::RunPlinth;

// Two services from scratch (no RUN, so arm64 builds natively here): `web` for both platforms,
// `tool` whose arm64 build fails (its COPY source exists only for amd64).
void WriteFleet(const std::string& dir, const std::string& head = "") {
  testing::WriteTestFile(dir + "/plinth.yaml", head + R"(version: 1
namespace: pickme
image: "{namespace}/idx-{name}:latest-{arch}"
platforms: [linux/amd64, linux/arm64]
tiers:
  app: {}
groups:
  apps: {phase: 1}
services:
  web:
    dockerfile: web/Dockerfile
    tier: app
    group: apps
  tool:
    dockerfile: tool/Dockerfile
    tier: app
    group: apps
    index: "{namespace}/idx-tool:all"
)");
  testing::WriteTestFile(dir + "/web/Dockerfile",
                         "FROM scratch\nARG TARGETARCH\nCOPY files/ /srv/\nCOPY arch-${TARGETARCH}.txt /srv/arch.txt\n"
                         "USER 65532\n");
  testing::WriteTestFile(dir + "/web/files/index.html", "<h1>hello</h1>\n");
  testing::WriteTestFile(dir + "/web/arch-amd64.txt", "amd64\n");
  testing::WriteTestFile(dir + "/web/arch-arm64.txt", "arm64\n");
  testing::WriteTestFile(dir + "/tool/Dockerfile", "FROM scratch\nARG TARGETARCH\nCOPY bin-${TARGETARCH}/ /bin/\n");
  testing::WriteTestFile(dir + "/tool/bin-amd64/tool", "#!amd64\n", 0755);
}

struct BuildEvents {
  int exit_code = -1;
  std::string out, err;
  std::map<std::string, std::string> outcome;  // target → outcome
  std::map<std::string, nlohmann::json> index;  // index image → its event
  nlohmann::json summary;
};

BuildEvents Build(const std::string& store, const std::string& fleet,
                  std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--store", store, "build", "-k", "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = RunPlinth(args, {}, fleet);
  BuildEvents e{r.exit_code, r.out, r.err};
  for (const auto& line : testing::JsonLines(r.out)) {
    if (line["event"] == "finish") e.outcome[line["target"]] = line["outcome"];
    if (line["event"] == "index") e.index[line["image"]] = line;
    if (line["event"] == "summary") e.summary = line;
  }
  return e;
}

// The raw manifest or index skopeo reads, and its digest.
struct Raw {
  nlohmann::json doc;
  std::string digest;
};
Raw Inspect(const std::string& transport_ref, std::vector<std::string> flags = {}) {
  std::vector<std::string> argv{"skopeo", "inspect", "--raw"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.push_back(transport_ref);
  auto r = testing::Run(argv);
  EXPECT_EQ(r.exit_code, 0) << transport_ref << ": " << r.err;
  if (r.exit_code != 0) return {};
  return {nlohmann::json::parse(r.out), "sha256:" + Sha256::HexOf(r.out)};
}

class FleetIndexTest : public ::testing::Test {
 protected:
  void SetUp() override { WriteFleet(dir_ / "fleet"); }
  std::string Store() const { return dir_ / "store"; }
  testing::ScratchDir dir_;
};

TEST_F(FleetIndexTest, TwoPlatformsMakeAnIndexOfBothManifests) {
  auto build = Build(Store(), dir_ / "fleet");
  EXPECT_EQ(build.outcome["web@linux/amd64"], "built") << build.out << build.err;
  EXPECT_EQ(build.outcome["web@linux/arm64"], "built");
  ASSERT_TRUE(build.index.count("pickme/idx-web:latest")) << build.out;
  EXPECT_EQ(build.index["pickme/idx-web:latest"]["outcome"], "written");
  EXPECT_EQ(build.summary["indexes"], 1);

  Raw amd64 = Inspect("oci:" + Store() + ":pickme/idx-web:latest-amd64");
  Raw arm64 = Inspect("oci:" + Store() + ":pickme/idx-web:latest-arm64");
  Raw index = Inspect("oci:" + Store() + ":pickme/idx-web:latest");
  EXPECT_EQ(index.doc["mediaType"], "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(index.digest, build.index["pickme/idx-web:latest"]["digest"]);
  ASSERT_EQ(index.doc["manifests"].size(), 2u) << index.doc.dump();
  const auto& first = index.doc["manifests"][0];
  const auto& second = index.doc["manifests"][1];
  EXPECT_EQ(first["platform"]["architecture"], "amd64");
  EXPECT_EQ(first["platform"]["os"], "linux");
  EXPECT_EQ(first["digest"], amd64.digest);
  EXPECT_EQ(first["mediaType"], "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(second["platform"]["architecture"], "arm64");
  EXPECT_EQ(second["digest"], arm64.digest);
  EXPECT_NE(amd64.digest, arm64.digest);

  // The store lists it as an index with both platforms.
  auto ls = RunPlinth({"--store", Store(), "store", "ls"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_NE(ls.out.find("pickme/idx-web:latest "), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find("linux/amd64,linux/arm64"), std::string::npos) << ls.out;
  EXPECT_EQ(RunPlinth({"--store", Store(), "store", "verify"}).exit_code, 0);
}

TEST_F(FleetIndexTest, SkopeoPicksTheArm64ManifestFromTheIndex) {
  ASSERT_EQ(Build(Store(), dir_ / "fleet").index.count("pickme/idx-web:latest"), 1u);
  Raw arm64 = Inspect("oci:" + Store() + ":pickme/idx-web:latest-arm64");
  std::string out = dir_ / "arm64";
  auto copy = testing::Run({"skopeo", "copy", "--override-arch", "arm64", "--override-os", "linux",
                   "oci:" + Store() + ":pickme/idx-web:latest", "dir:" + out});
  ASSERT_EQ(copy.exit_code, 0) << copy.err;
  auto manifest = ReadFile(out + "/manifest.json");
  ASSERT_TRUE(manifest.ok());
  EXPECT_EQ("sha256:" + Sha256::HexOf(*manifest), arm64.digest);
  // And the arm64 layer carries the arm64 file.
  auto amd = testing::Run({"skopeo", "copy", "--override-arch", "amd64",
                  "oci:" + Store() + ":pickme/idx-web:latest", "dir:" + (dir_ / "amd64")});
  ASSERT_EQ(amd.exit_code, 0) << amd.err;
  auto amd_manifest = ReadFile(dir_ / "amd64/manifest.json");
  ASSERT_TRUE(amd_manifest.ok());
  EXPECT_NE(*amd_manifest, *manifest);
}

TEST_F(FleetIndexTest, RebuildAndRebuildWithoutCacheGiveTheSameIndexDigest) {
  auto first = Build(Store(), dir_ / "fleet");
  auto cached = Build(Store(), dir_ / "fleet");
  EXPECT_EQ(cached.outcome["web@linux/amd64"], "cached");
  auto rebuilt = Build(dir_ / "other-store", dir_ / "fleet", {"--no-cache"});
  EXPECT_EQ(rebuilt.outcome["web@linux/arm64"], "built");
  std::string digest = first.index["pickme/idx-web:latest"]["digest"];
  EXPECT_EQ(cached.index["pickme/idx-web:latest"]["digest"], digest);
  EXPECT_EQ(rebuilt.index["pickme/idx-web:latest"]["digest"], digest);
}

TEST_F(FleetIndexTest, OnePlatformFailingMeansNoIndexAndSaysWhy) {
  auto build = Build(Store(), dir_ / "fleet");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_EQ(build.outcome["tool@linux/amd64"], "built");
  EXPECT_EQ(build.outcome["tool@linux/arm64"], "failed");
  ASSERT_TRUE(build.index.count("pickme/idx-tool:all")) << build.out;
  EXPECT_EQ(build.index["pickme/idx-tool:all"]["outcome"], "skipped");
  EXPECT_NE(build.index["pickme/idx-tool:all"]["detail"].get<std::string>().find("linux/arm64 failed"),
            std::string::npos);
  auto ls = RunPlinth({"--store", Store(), "store", "ls"});
  EXPECT_EQ(ls.out.find("pickme/idx-tool:all"), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find("pickme/idx-tool:latest-amd64"), std::string::npos) << ls.out;
  // The text summary says it too.
  auto text = RunPlinth({"--store", Store(), "build", "-k", "--progress", "plain"}, {}, dir_ / "fleet");
  EXPECT_NE(text.out.find("no index for pickme/idx-tool:all: linux/arm64 failed"),
            std::string::npos) << text.out;
  EXPECT_NE(text.out.find("1 multi-platform image joined in an OCI index"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("[index]  pickme/idx-tool:all  no index: linux/arm64 failed"),
            std::string::npos) << text.out;
}

TEST_F(FleetIndexTest, OnePlatformSelectedMakesNoIndex) {
  auto build = Build(Store(), dir_ / "fleet", {"web", "--platform", "linux/arm64"});
  EXPECT_EQ(build.exit_code, 0) << build.out << build.err;
  EXPECT_EQ(build.outcome["web@linux/arm64"], "built");
  EXPECT_TRUE(build.index.empty()) << build.out;
  EXPECT_EQ(build.summary["indexes"], 0);
  auto ls = RunPlinth({"--store", Store(), "store", "ls"});
  EXPECT_EQ(ls.out.find("pickme/idx-web:latest "), std::string::npos) << ls.out;
}

TEST_F(FleetIndexTest, PlanShowsTheIndexesTheBuildWillWrite) {
  auto text = RunPlinth({"--store", Store(), "plan"}, {}, dir_ / "fleet");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("index pickme/idx-web:latest: linux/amd64, linux/arm64\n"),
            std::string::npos) << text.out;
  EXPECT_NE(text.out.find("index pickme/idx-tool:all: linux/amd64, linux/arm64\n"),
            std::string::npos) << text.out;
  auto one = RunPlinth({"--store", Store(), "plan", "--platform", "linux/amd64"}, {}, dir_ / "fleet");
  EXPECT_EQ(one.out.find("index "), std::string::npos) << one.out;
  auto json = RunPlinth({"--store", Store(), "plan", "--format", "json"}, {}, dir_ / "fleet");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto indexes = nlohmann::json::parse(json.out)["indexes"];
  ASSERT_EQ(indexes.size(), 2u) << json.out;
  EXPECT_EQ(indexes[0]["image"], "pickme/idx-web:latest");
  EXPECT_EQ(indexes[0]["targets"], nlohmann::json({"web@linux/amd64", "web@linux/arm64"}));
}

TEST_F(FleetIndexTest, IndexWithArchIsAManifestErrorAtItsLine) {
  testing::ScratchDir bad;
  WriteFleet(bad.path(), "index: \"{namespace}/{name}:{arch}\"\n");
  auto r = RunPlinth({"--store", bad / "store", "build"}, {}, bad.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("plinth.yaml:1:8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("uses {arch}"), std::string::npos) << r.err;
  EXPECT_FALSE(PathExists(bad / "store/index.json"));
}

TEST(FleetIndexPushTest, PushPutsTheIndexInTheRegistry) {
  testing::RegistryServer registry;
  ASSERT_TRUE(registry.ok()) << registry.error();
  testing::ScratchDir dir;
  WriteFleet(dir / "fleet", "registry: \"" + registry.host() + "\"\n");
  auto build = Build(dir / "store", dir / "fleet", {"web", "--push", "--insecure", registry.host()});
  ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
  std::string name = registry.host() + "/pickme/idx-web:latest";
  ASSERT_TRUE(build.index.count(name)) << build.out;
  Raw remote = Inspect("docker://" + name, {"--tls-verify=false"});
  EXPECT_EQ(remote.doc["mediaType"], "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(remote.digest, build.index[name]["digest"]);
  ASSERT_EQ(remote.doc["manifests"].size(), 2u);
  Raw arm64 = Inspect("docker://" + registry.host() + "/pickme/idx-web:latest-arm64",
                      {"--tls-verify=false"});
  EXPECT_EQ(remote.doc["manifests"][1]["digest"], arm64.digest);
  // skopeo resolves the index to the arm64 image in the registry as well.
  auto copy = testing::Run({"skopeo", "copy", "--src-tls-verify=false", "--override-arch", "arm64",
                   "docker://" + name, "dir:" + (dir / "pulled")});
  ASSERT_EQ(copy.exit_code, 0) << copy.err;
  auto manifest = ReadFile(dir / "pulled/manifest.json");
  ASSERT_TRUE(manifest.ok());
  EXPECT_EQ("sha256:" + Sha256::HexOf(*manifest), arm64.digest);
}

}  // namespace
}  // namespace plinth
