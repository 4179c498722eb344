// plinth migrate: the Lucid legacy fleet becomes the Lucid fleet, FROM lines only; the diff;
// idempotence.
#include "lint/migration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "fleet/manifest_loader.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::lint {
namespace {

using ::testing::HasSubstr;

// A copy of examples/lucid-legacy (with ../lucid/bases beside it) in a scratch folder.
std::string CopyLegacy(const testing::ScratchDir& dir) {
  namespace fs = std::filesystem;
  fs::copy(testing::SourceDir() + "/examples/lucid-legacy", dir / "lucid-legacy", fs::copy_options::recursive);
  return dir / "lucid-legacy";
}

TEST(MigrationTest, TurnsTheLegacyFleetIntoTheLucidFleet) {
  testing::ScratchDir dir;
  std::string root = CopyLegacy(dir);
  auto fleet = fleet::LoadFleet(root + "/plinth.yaml");
  ASSERT_TRUE(fleet) << fleet.error().ToString();
  auto plan = PlanMigration(*fleet);
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_TRUE(plan->unresolved.empty());
  std::vector<std::string> changed;
  for (const auto& c : plan->changes) changed.push_back(c.target + ": " + c.old_base + " -> " + c.new_base);
  EXPECT_EQ(changed, (std::vector<std::string>{
                         "mongodb: gcr.io/distroless/base-debian12 -> pickme/lucid-base:latest-${TARGETARCH}",
                         "redis: gcr.io/distroless/python3-debian12:nonroot -> "
                         "pickme/lucid-base:python-distroless-${TARGETARCH}",
                         "elasticsearch: gcr.io/distroless/python3-debian12:nonroot -> "
                         "pickme/lucid-base:python-distroless-${TARGETARCH}",
                         "api-gateway: pickme/lucid-base:python-distroless-${TARGETARCH} -> "
                         "gcr.io/distroless/python3-debian12:nonroot"}));
  ASSERT_TRUE(ApplyMigration(*plan));
  // redis is left out: the Lucid fleet's is the real Redis server on its own base, not the
  // legacy stand-in with a new FROM.
  for (const char* service : {"mongodb", "elasticsearch", "api-gateway", "auth-service", "tron-payment"}) {
    std::string rel = std::string("/services/") + service + "/Dockerfile";
    EXPECT_EQ(*ReadFile(root + rel), *ReadFile(testing::SourceDir() + "/examples/lucid" + rel)) << service;
  }
  // A second run changes nothing.
  auto again = PlanMigration(*fleet::LoadFleet(root + "/plinth.yaml"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->changes.empty());
}

TEST(MigrationTest, TouchesOnlyTheImageOfTheRuntimeFrom) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "plinth.yaml", R"(namespace: pickme
platforms: [linux/arm64]
tiers:
  foundation: {runtime_base: {allow: ["fleet:*"], deny: ["gcr.io/distroless/*"]}}
groups: {g: {phase: 1}}
bases:
  lucid-base: {dockerfile: base/Dockerfile, image: "{namespace}/lucid-base:latest-{arch}", group: g}
services:
  db: {dockerfile: db/Dockerfile, tier: foundation, group: g}
)");
  testing::WriteTestFile(dir / "base/Dockerfile", "FROM gcr.io/distroless/base-debian13:nonroot\n");
  const std::string before =
      "# escape=`\n"
      "FROM  gcr.io/distroless/base-debian13:nonroot   AS   build\n"
      "RUN [\"x\"]\n"
      "\n"
      "# the runtime stage\n"
      "FROM --platform=$TARGETPLATFORM `\n"
      "     gcr.io/distroless/base-debian13:nonroot  `\n"
      "     AS runtime\n"
      "COPY --from=build /a /a\n"
      "FROM runtime\n"
      "CMD [\"/a\"]";
  testing::WriteTestFile(dir / "db/Dockerfile", before);
  auto plan = PlanMigration(*fleet::LoadFleet(dir / "plinth.yaml"));
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_EQ(plan->changes.size(), 1u);
  std::string expected = before;
  expected.replace(expected.find("     gcr.io/distroless/base-debian13:nonroot  `") + 5,
                   std::string("gcr.io/distroless/base-debian13:nonroot").size(),
                   "pickme/lucid-base:latest-${TARGETARCH}");
  EXPECT_EQ(plan->changes[0].after, expected);
  EXPECT_EQ(UnifiedDiff(before, plan->changes[0].after, "a/Dockerfile", "b/Dockerfile"),
            "--- a/Dockerfile\n+++ b/Dockerfile\n"
            "@@ -4,7 +4,7 @@\n"
            " \n"
            " # the runtime stage\n"
            " FROM --platform=$TARGETPLATFORM `\n"
            "-     gcr.io/distroless/base-debian13:nonroot  `\n"
            "+     pickme/lucid-base:latest-${TARGETARCH}  `\n"
            "      AS runtime\n"
            " COPY --from=build /a /a\n"
            " FROM runtime\n");
}

TEST(MigrationTest, DiffOfEqualTextsIsEmpty) { EXPECT_EQ(UnifiedDiff("a\n", "a\n", "x", "y"), ""); }

}  // namespace
}  // namespace plinth::lint
