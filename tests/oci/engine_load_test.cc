// `plinth load`'s decisions against an engine held in memory: what is loaded, what is skipped
// because the engine already has that image (by config or manifest digest), and what a load
// is given (a docker-archive naming the image).
#include "oci/engine_load.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "support/test_env.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::oci {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// An engine whose images are a map name → ID; a load records the archive's listing.
class FakeEngine : public ContainerEngine {
 public:
  std::map<std::string, std::string> ids;
  std::vector<std::string> loaded;  // tar listings of the archives loaded
  bool fail_queries = false;

  std::string name() const override { return "fake"; }
  Result<std::optional<std::string>> ImageId(const std::string& image) override {
    if (fail_queries) return Internal("engine not answering");
    auto it = ids.find(image);
    if (it == ids.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Status LoadArchive(const std::string& archive_path) override {
    auto listing = RunProcess({"tar", "-xOf", archive_path, "manifest.json"});
    if (!listing) return listing.error();
    loaded.push_back(listing->out);
    return Ok{};
  }
};

EngineImage Image(const std::string& name, char config, char manifest) {
  return {name, *Platform::Parse("linux/amd64"), Digest::Sha256Hex(std::string(64, manifest)),
          Digest::Sha256Hex(std::string(64, config))};
}

std::vector<LoadAction> Actions(const std::vector<LoadDecision>& decisions) {
  std::vector<LoadAction> out;
  for (const auto& d : decisions) out.push_back(d.action);
  return out;
}

TEST(EngineLoadTest, LoadsWhatTheEngineLacksOrHasUnderAnotherId) {
  FakeEngine engine;
  engine.ids["a:1"] = std::string(64, 'a');             // podman: the config digest, bare
  engine.ids["b:1"] = "sha256:" + std::string(64, 'e');  // docker containerd: the manifest digest
  engine.ids["c:1"] = "sha256:" + std::string(64, 'f');  // an older build under that name
  auto decisions = DecideLoads(engine, {Image("a:1", 'a', 'd'), Image("b:1", 'b', 'e'),
                                        Image("c:1", 'c', 'c'), Image("d:1", 'd', 'd')});
  ASSERT_TRUE(decisions) << decisions.error().ToString();
  EXPECT_THAT(Actions(*decisions), ElementsAre(LoadAction::kPresent, LoadAction::kPresent,
                                               LoadAction::kLoad, LoadAction::kLoad));
}

TEST(EngineLoadTest, AnEngineThatDoesNotAnswerIsAnError) {
  FakeEngine engine;
  engine.fail_queries = true;
  EXPECT_FALSE(DecideLoads(engine, {Image("a:1", 'a', 'a')}));
}

TEST(EngineLoadTest, LoadsMissingImagesAsDockerArchivesNamingThem) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir / "store");
  ASSERT_TRUE(store);
  auto amd64 = *Platform::Parse("linux/amd64");
  for (const char* name : {"acme/web:latest-amd64", "acme/db:latest-amd64"}) {
    ImageConfig config;
    config.platform = amd64;
    config.config.user = name;  // two distinct images
    auto image = store->WriteImage(config, {});
    ASSERT_TRUE(image);
    ASSERT_TRUE(store->Tag(name, *image));
  }
  auto web = StoreEngineImage(*store, "acme/web:latest-amd64", amd64);
  auto db = StoreEngineImage(*store, "acme/db:latest-amd64", amd64);
  ASSERT_TRUE(web && db);
  EXPECT_NE(web->config, db->config);

  FakeEngine engine;
  engine.ids["acme/db:latest-amd64"] = "sha256:" + db->config.hex();
  ASSERT_TRUE(MakeDirs(dir / "tmp"));
  auto decisions = LoadIntoEngine(*store, engine, {*web, *db}, dir / "tmp");
  ASSERT_TRUE(decisions) << decisions.error().ToString();
  EXPECT_THAT(Actions(*decisions), ElementsAre(LoadAction::kLoad, LoadAction::kPresent));
  ASSERT_EQ(engine.loaded.size(), 1u);
  EXPECT_THAT(engine.loaded[0], HasSubstr("acme/web:latest-amd64"));
  EXPECT_THAT(engine.loaded[0], HasSubstr(web->config.hex()));
  EXPECT_FALSE(PathExists(dir / "tmp/image.tar"));  // the archive is not left behind
}

TEST(EngineLoadTest, ChoosesDockerOnlyWhenItsDaemonAnswers) {
  EXPECT_EQ(*ChooseEngine("", true), "docker");
  EXPECT_EQ(*ChooseEngine("", false), "podman");
  EXPECT_EQ(*ChooseEngine("podman", true), "podman");
  EXPECT_EQ(*ChooseEngine("docker", false), "docker");
  auto bad = ChooseEngine("containerd", false);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind(), ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace plinth::oci
