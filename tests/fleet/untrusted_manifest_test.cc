// plinth.yaml comes with the repository it builds, so it may be hostile (issue 12): its size
// and its numbers are bounded.
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

}  // namespace
}  // namespace plinth::fleet
