// plinth.yaml's audit settings: a tier's `audit:` (shells, package managers, max_layers,
// wasted_bytes) and a target's `audit: {ignore: [{code, reason}]}`, with every mistake reported
// at its line and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fleet/manifest_loader.h"

namespace plinth::fleet {
namespace {

using ::testing::HasSubstr;

constexpr const char* kHead = R"(version: 1
namespace: pickme
platforms: [linux/amd64]
tiers:
  strict:
    user: nonroot
  relaxed:
    audit: {shell: allowed, package_manager: forbidden, max_layers: 12, wasted_bytes: 5MB}
groups: {g: {phase: 0}}
services:
)";

Result<Fleet> Load(const std::string& services) {
  return LoadFleetFromString(std::string(kHead) + services, "plinth.yaml",
                             FileChecks::kSkipFileChecks);
}

TEST(ManifestAuditTest, ATiersAuditSectionAndATargetsSuppressions) {
  auto fleet = Load(R"(  api:
    dockerfile: api/Dockerfile
    group: g
    tier: relaxed
    audit:
      ignore:
        - {code: PA150, reason: "the vendored wheel cache is rebuilt by the next layer"}
        - code: CIS-DI-0008
          reason: ping needs its setuid bit
)");
  ASSERT_TRUE(fleet) << fleet.error().ToString();
  const TierAudit& strict = fleet->tiers.at("strict").audit;
  EXPECT_FALSE(strict.shell_allowed);
  EXPECT_FALSE(strict.package_manager_allowed);
  EXPECT_FALSE(strict.max_layers);
  const TierAudit& relaxed = fleet->tiers.at("relaxed").audit;
  EXPECT_TRUE(relaxed.shell_allowed);
  EXPECT_FALSE(relaxed.package_manager_allowed);
  EXPECT_EQ(relaxed.max_layers, 12);
  EXPECT_EQ(relaxed.wasted_bytes, 5000000);
  const Target* api = fleet->FindTarget("api");
  ASSERT_EQ(api->audit_ignore.size(), 2u);
  EXPECT_EQ(api->audit_ignore[0].code, "PA150");
  EXPECT_EQ(api->audit_ignore[1].code, "CIS-DI-0008");
  EXPECT_EQ(api->audit_ignore[1].reason, "ping needs its setuid bit");
  EXPECT_EQ(api->audit_ignore[1].location.line, 18);
  EXPECT_EQ(api->audit_ignore[1].location.column, 17);
}

TEST(ManifestAuditTest, MistakesAreReportedWhereTheyAre) {
  auto missing_reason = Load(R"(  api:
    dockerfile: api/Dockerfile
    group: g
    tier: strict
    audit: {ignore: [{code: PA110}]}
)");
  ASSERT_FALSE(missing_reason);
  EXPECT_THAT(missing_reason.error().ToString(), HasSubstr("plinth.yaml:15:22"));
  EXPECT_THAT(missing_reason.error().ToString(), HasSubstr("`reason` is required"));

  auto missing_code = Load(R"(  api:
    dockerfile: api/Dockerfile
    group: g
    audit: {ignore: [{reason: because}]}
)");
  ASSERT_FALSE(missing_code);
  EXPECT_THAT(missing_code.error().ToString(), HasSubstr("`code` is required"));

  auto typo = Load(R"(  api:
    dockerfile: api/Dockerfile
    group: g
    audit: {ignroe: []}
)");
  ASSERT_FALSE(typo);
  EXPECT_THAT(typo.error().ToString(), HasSubstr("ignore"));

  auto bad_value = LoadFleetFromString("version: 1\ntiers:\n  t:\n    audit: {shell: sometimes}\n",
                                       "plinth.yaml", FileChecks::kSkipFileChecks);
  ASSERT_FALSE(bad_value);
  EXPECT_THAT(bad_value.error().ToString(), HasSubstr("plinth.yaml:4:20"));
  EXPECT_THAT(bad_value.error().ToString(), HasSubstr("\"forbidden\" or \"allowed\""));

  auto bad_layers = LoadFleetFromString("version: 1\ntiers:\n  t:\n    audit: {max_layers: 0}\n",
                                        "plinth.yaml", FileChecks::kSkipFileChecks);
  ASSERT_FALSE(bad_layers);
  EXPECT_THAT(bad_layers.error().ToString(), HasSubstr("max_layers"));
}

}  // namespace
}  // namespace plinth::fleet
