// Loading plinth.yaml: the schema, every kind of problem at its line and column, and the
// Lucid example as the real thing.
#include "fleet/manifest_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fleet/tier_policy.h"
#include "support/test_env.h"

namespace plinth::fleet {
namespace {

using ::testing::HasSubstr;

// A small valid fleet; tests append to or edit it.
constexpr const char* kFleet = R"(version: 1
namespace: pickme
image: "{namespace}/lucid-{name}:latest-{arch}"
platforms: [linux/arm64, linux/amd64]
tiers:
  foundation:
    runtime_base: {allow: ["fleet:*"], deny: ["gcr.io/distroless/*"]}
    multi_stage: required
    user: nonroot
    size_budget: 400MB
  application:
    runtime_base: {allow: ["gcr.io/distroless/*"], deny: ["fleet:*"]}
groups:
  base: {phase: 0}
  foundation: {phase: 1}
  core: {phase: 2}
bases:
  lucid-base:
    dockerfile: base/Dockerfile
    image: "{namespace}/lucid-base:latest-{arch}"
    group: base
services:
  redis:
    dockerfile: redis/Dockerfile
    tier: foundation
    group: foundation
    base: lucid-base
  api-gateway:
    dockerfile: api/Dockerfile
    tier: application
    group: core
    needs: [redis]
    depends_on: [redis]
    build_args: {A: "1", B: two}
upstream:
  images:
    gcr.io/distroless/base-debian12: {recipe: bases/base-debian12.yaml}
    mongo: {registry: docker.io}
)";

Result<Fleet> Load(const std::string& text) {
  return LoadFleetFromString(text, "plinth.yaml", FileChecks::kSkipFileChecks);
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(ManifestLoaderTest, LoadsTheSchema) {
  auto fleet = Load(kFleet);
  ASSERT_TRUE(fleet) << fleet.error().ToString();
  EXPECT_EQ(fleet->name_space, "pickme");
  EXPECT_EQ(fleet->platforms, (std::vector<std::string>{"linux/arm64", "linux/amd64"}));
  ASSERT_EQ(fleet->tiers.count("foundation"), 1u);
  const Tier& foundation = fleet->tiers.at("foundation");
  EXPECT_EQ(foundation.multi_stage, MultiStage::kRequired);
  EXPECT_EQ(foundation.user, RuntimeUser::kNonRoot);
  EXPECT_EQ(foundation.size_budget, 400000000);
  ASSERT_EQ(foundation.deny.size(), 1u);
  EXPECT_EQ(foundation.deny[0].location.line, 7);
  const Target* api = fleet->FindTarget("api-gateway");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->context, "api");
  EXPECT_EQ(api->build_args, (std::vector<std::pair<std::string, std::string>>{{"A", "1"}, {"B", "two"}}));
  EXPECT_EQ(*fleet->ImageFor(*api, "linux/arm64"), "pickme/lucid-api-gateway:latest-arm64");
  EXPECT_EQ(*fleet->ImageFor(*fleet->FindBase("lucid-base"), "linux/amd64"),
            "pickme/lucid-base:latest-amd64");
  EXPECT_EQ(fleet->BaseForImage("docker.io/pickme/lucid-base:latest-arm64", "linux/arm64"),
            fleet->FindBase("lucid-base"));
  ASSERT_NE(fleet->UpstreamFor("gcr.io/distroless/base-debian12:nonroot"), nullptr);
  EXPECT_EQ(fleet->UpstreamFor("gcr.io/distroless/base-debian12:nonroot")->recipe,
            "bases/base-debian12.yaml");
  EXPECT_EQ(fleet->UpstreamFor("mongo:7.0")->kind, UpstreamKind::kRegistry);
  auto phases = fleet->Phases();
  ASSERT_EQ(phases.size(), 3u);
  EXPECT_EQ(phases[0].second[0]->name, "lucid-base");
  EXPECT_EQ(phases[2].second[0]->name, "api-gateway");
}

struct BadCase {
  const char* name;
  std::string from, to;
  std::string expected;  // "LINE:COL: message part"
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class ManifestErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ManifestErrorTest, ReportsWhereAndWhat) {
  const BadCase& c = GetParam();
  auto fleet = Load(Replace(kFleet, c.from, c.to));
  ASSERT_FALSE(fleet) << c.name;
  EXPECT_EQ(fleet.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("plinth.yaml:" + c.expected)) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Problems, ManifestErrorTest,
    ::testing::Values(
        BadCase{"UnknownTopKey", "namespace: pickme", "namespace: pickme\nsevices: {}",
                "3:1: plinth.yaml: unknown key \"sevices\"; did you mean \"services\"?"},
        BadCase{"UnknownServiceKey", "    base: lucid-base", "    base: lucid-base\n    teir: x",
                "28:5: service \"redis\": unknown key \"teir\"; did you mean \"tier\"?"},
        BadCase{"WrongType", "platforms: [linux/arm64, linux/amd64]", "platforms: linux/arm64",
                "4:12: platforms: expected a list, found a scalar"},
        BadCase{"WrongIntType", "base: {phase: 0}", "base: {phase: zero}",
                "14:17: group \"base\" phase: expected an integer"},
        BadCase{"UnknownTier", "    tier: application", "    tier: aplication",
                "30:11: service \"api-gateway\": unknown tier \"aplication\"; did you mean \"application\"?"},
        BadCase{"UnknownGroup", "    group: core", "    group: cor",
                "31:12: service \"api-gateway\": unknown group \"cor\"; did you mean \"core\"?"},
        BadCase{"UnknownNeed", "needs: [redis]", "needs: [rediss]",
                "32:13: service \"api-gateway\": needs unknown target \"rediss\"; did you mean \"redis\"?"},
        BadCase{"UnknownDependsOn", "depends_on: [redis]", "depends_on: [lucid-base]",
                "33:18: service \"api-gateway\": depends on unknown service \"lucid-base\""},
        BadCase{"DuplicateService", "  api-gateway:\n", "  redis:\n",
                "28:3: services: duplicate key \"redis\""},
        BadCase{"NameUsedTwice", "  api-gateway:\n", "  lucid-base:\n",
                "28:3: service \"lucid-base\": the name \"lucid-base\" is used by a base and a service"},
        BadCase{"NeedsCycle", "    base: lucid-base\n", "    base: lucid-base\n    needs: [api-gateway]\n",
                "33:13: dependency cycle in \"needs\": redis → api-gateway → redis"},
        BadCase{"DependsOnCycle", "    base: lucid-base\n", "    base: lucid-base\n    depends_on: [api-gateway]\n",
                "34:18: dependency cycle in \"depends_on\": redis → api-gateway → redis"},
        BadCase{"TierBaseContradiction", "    base: lucid-base", "    base: gcr.io/distroless/base-debian12:nonroot",
                "27:11: service \"redis\": tier \"foundation\" and base \"gcr.io/distroless/base-debian12:nonroot\" "
                "disagree: the tier denies \"gcr.io/distroless/*\" (at plinth.yaml:7:47)"},
        BadCase{"TierNotAllowed", "    group: core\n", "    group: core\n    base: python:3.11-slim\n",
                "32:11: service \"api-gateway\": tier \"application\" and base \"python:3.11-slim\" disagree: "
                "the tier allows only gcr.io/distroless/*"},
        BadCase{"AllowAndDeny", R"(deny: ["fleet:*"])", R"(deny: ["fleet:*", "gcr.io/distroless/*"])",
                "12:70: tier \"application\": \"gcr.io/distroless/*\" is both allowed and denied"},
        BadCase{"UnknownBase", "    base: lucid-base", "    base: lucid-bse",
                "27:11: service \"redis\": base \"lucid-bse\" is neither a base of this fleet nor an image "
                "reference; did you mean \"lucid-base\"?"},
        BadCase{"UnknownFleetPattern", R"(allow: ["fleet:*"])", R"(allow: ["fleet:lucid-bas"])",
                "7:28: tier \"foundation\": unknown fleet base \"lucid-bas\"; did you mean \"lucid-base\"?"},
        BadCase{"TemplateWithoutArch", "image: \"{namespace}/lucid-base:latest-{arch}\"",
                "image: \"{namespace}/lucid-base:latest\"",
                "20:12: base \"lucid-base\": image template \"{namespace}/lucid-base:latest\" has no {arch}"},
        BadCase{"UnknownPlaceholder", "image: \"{namespace}/lucid-base:latest-{arch}\"",
                "image: \"{namespace}/lucid-base:latest-{arh}\"", "20:12: base \"lucid-base\": unknown placeholder {arh}"},
        BadCase{"DuplicateImage", "image: \"{namespace}/lucid-base:latest-{arch}\"",
                "image: \"{namespace}/lucid-redis:latest-{arch}\"",
                "23:3: service \"redis\": image \"pickme/lucid-redis:latest-arm64\" is also the image of base \"lucid-base\""},
        BadCase{"BadSize", "size_budget: 400MB", "size_budget: 400MX", "10:18: tier \"foundation\" size_budget: unknown size unit \"MX\""},
        BadCase{"BadEnum", "multi_stage: required", "multi_stage: always",
                "8:18: tier \"foundation\" multi_stage: expected \"required\" or \"optional\""},
        BadCase{"MissingDockerfile", "    dockerfile: api/Dockerfile\n", "",
                "28:3: service \"api-gateway\": \"dockerfile\" is required"},
        BadCase{"BaseWithTwoSources", "    group: base\n", "    group: base\n    recipe: bases/x.yaml\n",
                "18:3: base \"lucid-base\": give exactly one of \"dockerfile\" or \"recipe\""},
        BadCase{"RecipeAndRegistry", "{registry: docker.io}", "{registry: docker.io, recipe: x.yaml}",
                "38:5: upstream image \"mongo\": give either a recipe or a registry, not both"},
        BadCase{"YamlSyntax", "namespace: pickme", "namespace: [pickme", "3:6: reading manifest: end of sequence flow not found"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ManifestLoaderTest, ReportsEveryProblemAtOnce) {
  std::string text = Replace(Replace(kFleet, "    tier: application", "    tier: nope"), "    group: core",
                             "    group: nada");
  auto fleet = Load(text);
  ASSERT_FALSE(fleet);
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("plinth.yaml:30:11: service \"api-gateway\": unknown tier"));
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("plinth.yaml:31:12: service \"api-gateway\": unknown group"));
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("2 problems"));
}

TEST(ManifestLoaderTest, ChecksThatDockerfilesExist) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "plinth.yaml", kFleet);
  testing::WriteTestFile(dir / "base/Dockerfile", "FROM scratch\n");
  testing::WriteTestFile(dir / "redis/Dockerfile", "FROM scratch\n");
  auto fleet = LoadFleet(dir / "plinth.yaml");
  ASSERT_FALSE(fleet);
  EXPECT_THAT(fleet.error().ToString(),
              HasSubstr("plinth.yaml:29:17: service \"api-gateway\": Dockerfile \"api/Dockerfile\" does not exist"));
  testing::WriteTestFile(dir / "api/Dockerfile", "FROM scratch\n");
  EXPECT_TRUE(LoadFleet(dir / "plinth.yaml"));
  EXPECT_EQ(LoadFleet(dir / "missing.yaml").error().kind(), ErrorKind::kNotFound);
}

TEST(ManifestLoaderTest, LoadsTheLucidExample) {
  auto fleet = LoadFleet(testing::SourceDir() + "/examples/lucid/plinth.yaml");
  ASSERT_TRUE(fleet) << fleet.error().ToString();
  std::vector<std::string> services;
  for (const auto& s : fleet->services) services.push_back(s.name);
  EXPECT_EQ(services, (std::vector<std::string>{
                          "mongodb", "redis", "elasticsearch", "auth-service", "api-gateway",
                          "blockchain-engine", "service-mesh-controller", "session-management",
                          "rdp-services", "node-management", "admin-interface", "tron-payment"}));
  EXPECT_EQ(*fleet->ImageFor(*fleet->FindTarget("api-gateway"), "linux/arm64"),
            "pickme/lucid-api-gateway:latest-arm64");
  EXPECT_EQ(*fleet->ImageFor(*fleet->FindBase("lucid-base-python"), "linux/arm64"),
            "pickme/lucid-base:python-distroless-arm64");
  EXPECT_EQ(*fleet->ImageFor(*fleet->FindBase("lucid-base-java"), "linux/arm64"),
            "pickme/lucid-base:java-distroless-arm64");
  EXPECT_EQ(*fleet->ImageFor(*fleet->FindBase("lucid-base"), "linux/amd64"), "pickme/lucid-base:latest-amd64");
  const Target* auth = fleet->FindTarget("auth-service");
  EXPECT_EQ(auth->tier, "application");
  EXPECT_EQ(auth->group, "foundation");
  EXPECT_EQ(fleet->UpstreamFor("gcr.io/distroless/python3-debian12:nonroot")->recipe,
            "bases/python3-debian12.yaml");
}

TEST(ManifestLoaderTest, ParsesSizes) {
  EXPECT_EQ(*ParseSize("150MB"), 150000000);
  EXPECT_EQ(*ParseSize("1.5GiB"), 1610612736);
  EXPECT_EQ(*ParseSize("2048"), 2048);
  EXPECT_FALSE(ParseSize("lots"));
}

TEST(TierPolicyTest, DenyWinsAndFleetPatternsMatchBases) {
  Tier tier;
  tier.allow = {BasePattern::FromText("gcr.io/distroless/*"), BasePattern::FromText("fleet:lucid-base")};
  tier.deny = {BasePattern::FromText("gcr.io/distroless/*:debug*")};
  Target base;
  base.name = "lucid-base";
  EXPECT_TRUE(CheckRuntimeBase(tier, "gcr.io/distroless/static-debian12:nonroot", nullptr).allowed());
  EXPECT_EQ(CheckRuntimeBase(tier, "gcr.io/distroless/base-debian12:debug-nonroot", nullptr).verdict,
            BaseVerdict::kDenied);
  EXPECT_TRUE(CheckRuntimeBase(tier, "pickme/lucid-base:latest-arm64", &base).allowed());
  EXPECT_EQ(CheckRuntimeBase(tier, "python:3.11-slim", nullptr).verdict, BaseVerdict::kNotAllowed);
}

TEST(BasePatternTest, GlobsMatchRepositoryOrWholeReference) {
  EXPECT_TRUE(ImageGlobMatches("gcr.io/distroless/*", "gcr.io/distroless/cc-debian12:nonroot"));
  EXPECT_TRUE(ImageGlobMatches("redis", "docker.io/library/redis:7"));
  EXPECT_FALSE(ImageGlobMatches("redis", "docker.io/bitnami/redis:7"));
  EXPECT_TRUE(ImageGlobMatches("python:3.*", "python:3.11-slim"));
  EXPECT_FALSE(ImageGlobMatches("python:3.*", "python:2.7"));
  EXPECT_EQ(RepositoryOf("pickme/lucid-base:latest-${TARGETARCH}"), "pickme/lucid-base");
}

}  // namespace
}  // namespace plinth::fleet
