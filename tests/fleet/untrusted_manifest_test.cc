// plinth.yaml comes with the repository it builds, so it may be hostile (issue 12): its numbers
// are bounded, and its paths (dockerfile, context, recipe) stay inside its folder, symlinks
// resolved, unless the entry's allow_outside names the field.
#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fleet/manifest_loader.h"
#include "support/test_env.h"

namespace plinth::fleet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A fleet with one service and one recipe base; `{SERVICE}` and `{BASE}` are replaced by the
// fields of each (indented 4 spaces), `{UPSTREAM}` by an upstream image entry's fields.
constexpr const char* kFleet = R"(namespace: team
tiers:
  app: {}
groups:
  apps: {phase: 1}
bases:
  deb:
    group: apps
{BASE}
services:
  api:
    tier: app
    group: apps
{SERVICE}
upstream:
  images:
    gcr.io/distroless/static-debian12: {UPSTREAM}
)";

std::string FleetWith(const std::string& service, const std::string& base = "    recipe: bases/deb.yaml",
                      const std::string& upstream = "{recipe: bases/static.yaml}") {
  std::string text = kFleet;
  for (auto [key, value] : {std::pair<std::string, std::string>{"{SERVICE}", service},
                            {"{BASE}", base},
                            {"{UPSTREAM}", upstream}}) {
    text.replace(text.find(key), key.size(), value);
  }
  return text;
}

Result<Fleet> Lexical(const std::string& text) {
  return LoadFleetFromString(text, "plinth.yaml", FileChecks::kSkipFileChecks);
}

TEST(ManifestBoundsTest, SizesBeyondAnyImageAreErrors) {
  // llround of 1e400 (inf) gave an unspecified, negative budget.
  EXPECT_FALSE(ParseSize(std::string(400, '9') + "GiB"));
  EXPECT_FALSE(ParseSize("99999999999999999999"));
  EXPECT_FALSE(ParseSize("5000000000GiB"));
  EXPECT_EQ(*ParseSize("4611686018427387904"), int64_t{1} << 62);
  EXPECT_EQ(*ParseSize("1.5GiB"), 1610612736);
  auto fleet = Lexical(FleetWith("    dockerfile: api/Dockerfile").replace(
      std::string(kFleet).find("app: {}"), 7, "app: {size_budget: 99999999999999999999GB}"));
  ASSERT_FALSE(fleet);
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("plinth.yaml:3:"));
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("too large"));
}

TEST(ManifestBoundsTest, AManifestThatIsNotARegularFileOrTooLargeIsRefusedUnread) {
  testing::ScratchDir dir;
  ASSERT_EQ(symlink("/dev/null", (dir / "null.yaml").c_str()), 0);
  auto null = LoadFleet(dir / "null.yaml");
  ASSERT_FALSE(null);
  EXPECT_THAT(null.error().ToString(), HasSubstr("not a regular file"));
  testing::WriteTestFile(dir / "big.yaml", "namespace: team\n");
  ASSERT_EQ(truncate((dir / "big.yaml").c_str(), static_cast<off_t>(kMaxManifestSize + 1)), 0);
  auto big = LoadFleet(dir / "big.yaml");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().location().file, dir / "big.yaml");
  EXPECT_THAT(big.error().ToString(), HasSubstr("larger than 4 MiB"));
}

TEST(ManifestPathsTest, RelativePathsInsideTheFolderAreFine) {
  auto fleet = Lexical(FleetWith("    dockerfile: api/../api/Dockerfile\n    context: ."));
  ASSERT_TRUE(fleet) << fleet.error().ToString();
}

struct PathCase {
  const char* name;
  std::string service, base, upstream;
  std::string expected;  // "LINE:COL: ..." part
};

void PrintTo(const PathCase& c, std::ostream* os) { *os << c.name; }

class ManifestPathTest : public ::testing::TestWithParam<PathCase> {};

TEST_P(ManifestPathTest, PathsThatLeaveTheFolderAreErrorsAtTheField) {
  const PathCase& c = GetParam();
  auto fleet = Lexical(FleetWith(c.service, c.base, c.upstream));
  ASSERT_FALSE(fleet) << c.name;
  EXPECT_EQ(fleet.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("plinth.yaml:" + c.expected)) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Lexical, ManifestPathTest,
    ::testing::Values(
        PathCase{"DockerfileClimbsOut", "    dockerfile: ../../etc/Dockerfile",
                 "    recipe: bases/deb.yaml", "{recipe: bases/static.yaml}",
                 "14:17: service \"api\": dockerfile \"../../etc/Dockerfile\" climbs out"},
        PathCase{"AbsoluteContext", "    dockerfile: api/Dockerfile\n    context: /etc",
                 "    recipe: bases/deb.yaml", "{recipe: bases/static.yaml}",
                 "15:14: service \"api\": context \"/etc\" is an absolute path"},
        PathCase{"DerivedContextClimbsOut",
                 "    dockerfile: ../x/Dockerfile\n    allow_outside: [dockerfile]",
                 "    recipe: bases/deb.yaml", "{recipe: bases/static.yaml}",
                 "14:17: service \"api\": context \"../x\" (the Dockerfile's folder) climbs out"},
        PathCase{"BaseRecipe", "    dockerfile: api/Dockerfile", "    recipe: a/../../deb.yaml",
                 "{recipe: bases/static.yaml}",
                 "9:13: base \"deb\": recipe \"a/../../deb.yaml\" climbs out"},
        PathCase{"UpstreamRecipe", "    dockerfile: api/Dockerfile", "    recipe: bases/deb.yaml",
                 "{recipe: /srv/static.yaml}",
                 "17:49: upstream image \"gcr.io/distroless/static-debian12\": recipe "
                 "\"/srv/static.yaml\" is an absolute path"},
        PathCase{"AllowOutsideNamesAnotherField",
                 "    dockerfile: api/Dockerfile\n    allow_outside: [contxt]",
                 "    recipe: bases/deb.yaml", "{recipe: bases/static.yaml}",
                 "15:20: service \"api\" allow_outside: \"contxt\" is not a path field "
                 "(dockerfile, context); did you mean \"context\"?"},
        PathCase{"ServicesHaveNoRecipe", "    dockerfile: api/Dockerfile\n    allow_outside: recipe",
                 "    recipe: bases/deb.yaml", "{recipe: bases/static.yaml}",
                 "15:20: service \"api\" allow_outside: \"recipe\" is not a path field"}));

TEST(ManifestPathsTest, AllowOutsideLetsEachNamedPathOut) {
  auto fleet = Lexical(FleetWith(
      "    dockerfile: ../common/Dockerfile\n    context: /srv/ctx\n"
      "    allow_outside: [dockerfile, context]",
      "    recipe: ../recipes/deb.yaml\n    allow_outside: recipe",
      "{recipe: ../recipes/static.yaml, allow_outside: [recipe]}"));
  ASSERT_TRUE(fleet) << fleet.error().ToString();
  EXPECT_EQ(fleet->FindTarget("api")->context, "/srv/ctx");
  EXPECT_EQ(fleet->FindTarget("api")->allow_outside,
            (std::vector<std::string>{"dockerfile", "context"}));
  // Naming one field lets only that one out.
  auto half = Lexical(FleetWith(
      "    dockerfile: ../common/Dockerfile\n    context: /srv/ctx\n    allow_outside: [dockerfile]"));
  ASSERT_FALSE(half);
  EXPECT_THAT(half.error().ToString(), HasSubstr("context \"/srv/ctx\" is an absolute path"));
  EXPECT_THAT(half.error().ToString(), Not(HasSubstr("dockerfile \"")));
}

// On disk, a path that stays inside lexically may still lead out through a symlink.
class ManifestSymlinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_ / "fleet";
    testing::WriteTestFile(dir_ / "outside/Dockerfile", "FROM scratch\n");
    testing::WriteTestFile(dir_ / "outside/deb.yaml", "name: x\n");
    testing::WriteTestFile(root_ + "/api/Dockerfile", "FROM scratch\n");
    testing::WriteTestFile(root_ + "/bases/deb.yaml", "name: deb\n");
    testing::WriteTestFile(root_ + "/bases/static.yaml", "name: static\n");
  }
  Result<Fleet> Load(const std::string& service, const std::string& base = "    recipe: bases/deb.yaml") {
    testing::WriteTestFile(root_ + "/plinth.yaml", FleetWith(service, base));
    return LoadFleet(root_ + "/plinth.yaml");
  }
  void Link(const std::string& target, const std::string& name) {
    ASSERT_EQ(symlink(target.c_str(), (root_ + "/" + name).c_str()), 0) << name;
  }

  testing::ScratchDir dir_;
  std::string root_;
};

TEST_F(ManifestSymlinkTest, FilesInsideLoad) {
  auto fleet = Load("    dockerfile: api/Dockerfile");
  ASSERT_TRUE(fleet) << fleet.error().ToString();
}

TEST_F(ManifestSymlinkTest, AContextThatIsALinkOutIsAnError) {
  Link("../outside", "cfg");
  auto fleet = Load("    dockerfile: api/Dockerfile\n    context: cfg");
  ASSERT_FALSE(fleet);
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("plinth.yaml:15:14: service \"api\": context \"cfg\" leads through a symbolic link"));
  ASSERT_TRUE(Load("    dockerfile: api/Dockerfile\n    context: cfg\n    allow_outside: [context]"));
}

TEST_F(ManifestSymlinkTest, ADockerfileThatIsALinkOutIsAnError) {
  Link(dir_ / "outside/Dockerfile", "api/Dockerfile.link");
  auto fleet = Load("    dockerfile: api/Dockerfile.link\n    context: api");
  ASSERT_FALSE(fleet);
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("plinth.yaml:14:17: service \"api\": dockerfile"));
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("symbolic link"));
}

TEST_F(ManifestSymlinkTest, AFolderOnTheWayThatLinksOutIsAnError) {
  // The Dockerfile's folder links out: both the Dockerfile and the context (its folder) do.
  Link("../outside", "app");
  auto fleet = Load("    dockerfile: app/Dockerfile");
  ASSERT_FALSE(fleet);
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("dockerfile \"app/Dockerfile\" leads through"));
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("context \"app\" (the Dockerfile's folder) leads through"));
  // A recipe that does not exist yet, under a folder that links out.
  auto recipe = Load("    dockerfile: api/Dockerfile", "    recipe: app/new/deb.yaml");
  ASSERT_FALSE(recipe);
  EXPECT_THAT(recipe.error().ToString(), HasSubstr("base \"deb\": recipe \"app/new/deb.yaml\" leads through"));
}

TEST_F(ManifestSymlinkTest, LinksThatStayInsideAreFine) {
  Link("api", "api-link");
  auto fleet = Load("    dockerfile: api-link/Dockerfile");
  ASSERT_TRUE(fleet) << fleet.error().ToString();
}

}  // namespace
}  // namespace plinth::fleet
