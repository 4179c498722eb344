// The hybrid policy rules on a small fleet written inline: every rule with a Dockerfile it
// reports and one it does not; the Lucid example is clean and its legacy form is not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "fleet/manifest_loader.h"
#include "lint/linter.h"
#include "support/test_env.h"

namespace plinth::lint {
namespace {

using ::testing::HasSubstr;

constexpr const char* kFleet = R"(version: 1
namespace: pickme
image: "{namespace}/lucid-{name}:latest-{arch}"
platforms: [linux/arm64, linux/amd64]
tiers:
  foundation:
    runtime_base: {allow: ["fleet:*"], deny: ["gcr.io/distroless/*"]}
    multi_stage: required
    user: nonroot
  application:
    runtime_base: {allow: ["gcr.io/distroless/*"], deny: ["fleet:*"]}
    multi_stage: required
    user: nonroot
groups: {g: {phase: 1}}
bases:
  lucid-base: {dockerfile: base/Dockerfile, image: "{namespace}/lucid-base:latest-{arch}", group: g}
services:
  db: {dockerfile: db/Dockerfile, tier: foundation, group: g}
  app: {dockerfile: app/Dockerfile, tier: application, group: g}
  declared: {dockerfile: declared/Dockerfile, tier: application, group: g, base: "gcr.io/distroless/static-debian13:nonroot"}
upstream:
  images:
    gcr.io/distroless/base-debian13: {recipe: bases/base-debian13.yaml}
)";

constexpr const char* kGoodApp =
    "FROM scratch AS source\nCOPY app/ /app/\n"
    "FROM gcr.io/distroless/base-debian13:nonroot\nCOPY --from=source /app/ /app/\nUSER 65532\n";
constexpr const char* kGoodDb =
    "FROM scratch AS source\nCOPY app/ /app/\n"
    "FROM pickme/lucid-base:latest-${TARGETARCH}\nCOPY --from=source /app/ /app/\n";

// Lints the fleet with `service`'s Dockerfile replaced; returns "CODE@LINE" per finding of it.
std::vector<std::string> LintService(const std::string& service, const std::string& dockerfile) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "plinth.yaml", kFleet);
  testing::WriteTestFile(dir / "base/Dockerfile", "FROM gcr.io/distroless/base-debian13:nonroot\nUSER 65532\n");
  testing::WriteTestFile(dir / "db/Dockerfile", kGoodDb);
  testing::WriteTestFile(dir / "app/Dockerfile", kGoodApp);
  testing::WriteTestFile(dir / "declared/Dockerfile",
                         "FROM scratch AS s\nFROM gcr.io/distroless/static-debian13:nonroot\n");
  testing::WriteTestFile(dir / service + "/Dockerfile", dockerfile);
  auto fleet = fleet::LoadFleet(dir / "plinth.yaml");
  EXPECT_TRUE(fleet) << fleet.error().ToString();
  if (!fleet) return {};
  LintOptions options;
  options.today = "2026-11-28";
  auto result = LintFleet(*fleet, options);
  EXPECT_TRUE(result) << result.error().ToString();
  std::vector<std::string> out;
  for (const auto& f : result->findings) {
    if (f.location.file.find("/" + service + "/") != std::string::npos && f.code.starts_with("PL1"))
      out.push_back(f.code + "@" + std::to_string(f.location.line));
  }
  return out;
}

TEST(HybridRulesTest, TheGoodFleetIsClean) {
  EXPECT_EQ(LintService("app", kGoodApp), std::vector<std::string>{});
  EXPECT_EQ(LintService("db", kGoodDb), std::vector<std::string>{});
}

struct HybridCase {
  const char* name;
  std::string service;
  std::string bad;
  std::vector<std::string> found;
  std::string good;
};

void PrintTo(const HybridCase& c, std::ostream* os) { *os << c.name; }

class HybridRuleTest : public ::testing::TestWithParam<HybridCase> {};

TEST_P(HybridRuleTest, ReportsTheBadAndPassesTheGood) {
  const HybridCase& c = GetParam();
  EXPECT_EQ(LintService(c.service, c.bad), c.found);
  EXPECT_EQ(LintService(c.service, c.good), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(
    Rules, HybridRuleTest,
    ::testing::Values(
        HybridCase{"PL101ApplicationOnFleetBase", "app",
                   "FROM scratch AS s\nFROM pickme/lucid-base:latest-${TARGETARCH}\nUSER 65532\n", {"PL101@2"},
                   "FROM scratch AS s\nFROM gcr.io/distroless/base-debian13:nonroot\n"},
        HybridCase{"PL101FoundationOnDistroless", "db",
                   "FROM scratch AS s\nFROM gcr.io/distroless/base-debian13:nonroot\n", {"PL101@2"}, kGoodDb},
        HybridCase{"PL101ThroughAStageChain", "db",
                   "FROM gcr.io/distroless/base-debian13:nonroot AS runtime\nFROM runtime\n", {"PL101@2"},
                   "FROM pickme/lucid-base:latest-${TARGETARCH} AS runtime\nFROM runtime\n"},
        HybridCase{"PL102", "app", "FROM gcr.io/distroless/base-debian13:nonroot\nCOPY app/ /app/\n", {"PL102@1"},
                   kGoodApp},
        HybridCase{"PL103RootUser", "app", std::string(kGoodApp) + "USER root\n", {"PL103@6"},
                   std::string(kGoodApp) + "USER nonroot:nonroot\n"},
        HybridCase{"PL103NoUserOnRootBase", "app",
                   "FROM scratch AS s\nFROM gcr.io/distroless/base-debian13:debug\n", {"PL103@2"},
                   "FROM scratch AS s\nFROM gcr.io/distroless/base-debian13:nonroot\n"},
        HybridCase{"PL104", "app",
                   std::string(kGoodApp) + "CMD /app/server\nHEALTHCHECK CMD /app/server --check\nENTRYPOINT exec /app/x\n",
                   {"PL104@6", "PL104@7", "PL104@8"},
                   std::string(kGoodApp) + "CMD [\"/app/server\"]\nHEALTHCHECK CMD [\"/app/server\", \"--check\"]\n"},
        HybridCase{"PL104OnFleetBase", "db", std::string(kGoodDb) + "RUN echo hi\n", {"PL104@5"},
                   "FROM debian:12 AS build\nRUN echo hi\n"
                   "FROM pickme/lucid-base:latest-${TARGETARCH}\nCOPY --from=build /a /a\n"},
        HybridCase{"PL105", "app", std::string(kGoodApp) + "RUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n",
                   {"PL105@6"},
                   "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y curl\n"
                   "FROM gcr.io/distroless/base-debian13:nonroot\nCOPY --from=build /usr/bin/curl /usr/bin/\n"},
        HybridCase{"PL106", "db",
                   "FROM scratch AS s\nCOPY a /a\nFROM pickme/lucid-base:latest-arm64\nCOPY --from=s /a /a\n",
                   {"PL106@3"}, kGoodDb},
        HybridCase{"PL107", "app",
                   "FROM debian AS build\nFROM gcr.io/distroless/base-debian13\nUSER 65532\n",
                   {"PL107@1", "PL107@2"},
                   "FROM debian:12 AS build\nFROM gcr.io/distroless/base-debian13@sha256:"
                   "0000000000000000000000000000000000000000000000000000000000000000\nUSER 65532\n"},
        HybridCase{"PL108", "app", "FROM scratch AS s\nFROM gcr.io/distroless/base-debian12:nonroot\n",
                   {"PL108@2"}, "FROM scratch AS s\nFROM gcr.io/distroless/base-debian13:nonroot\n"},
        HybridCase{"PL109", "declared", "FROM scratch AS s\nFROM gcr.io/distroless/base-debian13:nonroot\n",
                   {"PL109@2"}, "FROM scratch AS s\nFROM gcr.io/distroless/static-debian13:nonroot\n"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(HybridRulesTest, EndOfLifeSuggestsTheReplacement) {
  testing::ScratchDir dir;
  auto result = LintDockerfileText("FROM gcr.io/distroless/python3-debian12:nonroot\n", "Dockerfile");
  ASSERT_TRUE(result);
  for (const auto& f : result->findings) EXPECT_NE(f.code, "PL108") << "fleet rules need a fleet";
}

TEST(LucidExampleTest, LintsWithoutErrors) {
  auto fleet = fleet::LoadFleet(testing::SourceDir() + "/examples/lucid/plinth.yaml");
  ASSERT_TRUE(fleet) << fleet.error().ToString();
  LintOptions options;
  options.today = "2026-11-28";
  auto result = LintFleet(*fleet, options);
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_FALSE(result->failed);
  for (const auto& f : result->findings) {
    EXPECT_NE(f.severity, Severity::kError) << f.location.ToString() << " " << f.message;
    // The only warnings are the seed's own Debian 12 bases, past their end of life.
    EXPECT_EQ(f.code, "PL108") << f.location.ToString() << " " << f.message;
  }
}

TEST(LucidExampleTest, TheLegacyFleetHasTheViolationsMigrateFixes) {
  auto fleet = fleet::LoadFleet(testing::SourceDir() + "/examples/lucid-legacy/plinth.yaml");
  ASSERT_TRUE(fleet) << fleet.error().ToString();
  LintOptions options;
  options.today = "2026-11-28";
  auto result = LintFleet(*fleet, options);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->failed);
  std::set<std::string> services;
  for (const auto& f : result->findings) {
    if (f.severity != Severity::kError) continue;
    EXPECT_TRUE(f.code == "PL101" || f.code == "PL107" || f.code == "PL109") << f.location.ToString() << " " << f.message;
    services.insert(f.location.file.substr(f.location.file.find("services/") + 9,
                                           f.location.file.rfind('/') - f.location.file.find("services/") - 9));
  }
  EXPECT_EQ(services, (std::set<std::string>{"mongodb", "redis", "elasticsearch", "api-gateway"}));
}

}  // namespace
}  // namespace plinth::lint
