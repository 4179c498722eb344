// What `plinth build` refuses: the targets whose own Dockerfile has an error finding, each
// named with its first one; warnings never; findings land on the target whose Dockerfile has
// them (LintFleetTargets), and only the targets asked for are linted.
#include "lint/build_refusal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fleet/manifest_loader.h"
#include "support/test_env.h"

namespace plinth::lint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Key;

Finding Found(Severity severity, std::string code, int line, std::string message) {
  Finding f;
  f.location = {"services/app/Dockerfile", line, 1};
  f.severity = severity;
  f.code = std::move(code);
  f.message = std::move(message);
  return f;
}

TEST(BuildRefusalTest, AnErrorFindingRefusesItsTargetNamingCodePlaceAndMessage) {
  std::map<std::string, LintResult> by_target;
  by_target["app"].findings = {Found(Severity::kWarning, "PL108", 1, "old base"),
                               Found(Severity::kError, "PL101", 2, "fleet base in application tier")};
  auto refusals = BuildRefusals(by_target);
  ASSERT_THAT(refusals, ElementsAre(Key("app")));
  EXPECT_EQ(refusals["app"], "lint PL101 at services/app/Dockerfile:2:1: fleet base in application tier");
}

TEST(BuildRefusalTest, WarningsAndBelowNeverRefuse) {
  std::map<std::string, LintResult> by_target;
  by_target["app"].findings = {Found(Severity::kWarning, "PL108", 1, "old base"),
                               Found(Severity::kInfo, "DL3059", 2, "merge RUNs"),
                               Found(Severity::kStyle, "DL3045", 3, "WORKDIR")};
  by_target["clean"] = {};
  EXPECT_TRUE(BuildRefusals(by_target).empty());
}

TEST(BuildRefusalTest, SaysHowManyMoreErrorsThereAre) {
  std::map<std::string, LintResult> by_target;
  by_target["app"].findings = {Found(Severity::kError, "PL101", 2, "a"),
                               Found(Severity::kError, "PL103", 5, "b"),
                               Found(Severity::kError, "PL104", 7, "c")};
  EXPECT_THAT(BuildRefusals(by_target)["app"],
              HasSubstr("PL101 at services/app/Dockerfile:2:1: a (and 2 more error findings;"));
}

constexpr const char* kFleet = R"(version: 1
namespace: pickme
image: "{namespace}/{name}:latest-{arch}"
platforms: [linux/amd64]
tiers:
  application:
    runtime_base: {allow: ["gcr.io/distroless/*"], deny: ["fleet:*"]}
groups: {g: {phase: 1}}
bases:
  base: {dockerfile: base/Dockerfile, group: g}
services:
  bad: {dockerfile: bad/Dockerfile, tier: application, group: g}
  good: {dockerfile: good/Dockerfile, tier: application, group: g}
)";

class LintFleetTargetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteTestFile(dir_ / "plinth.yaml", kFleet);
    testing::WriteTestFile(dir_ / "base/Dockerfile", "FROM gcr.io/distroless/static-debian13:nonroot\n");
    // An application service on the fleet's own base: PL101, an error.
    testing::WriteTestFile(dir_ / "bad/Dockerfile",
                           "FROM scratch AS s\nFROM pickme/base:latest-${TARGETARCH}\nUSER 65532\n");
    testing::WriteTestFile(dir_ / "good/Dockerfile",
                           "ARG BASE=gcr.io/distroless/static-debian13:nonroot\n"
                           "FROM scratch AS s\nFROM ${BASE}\n");
    auto fleet = fleet::LoadFleet(dir_ / "plinth.yaml");
    ASSERT_TRUE(fleet) << fleet.error().ToString();
    fleet_ = std::move(*fleet);
  }
  LintOptions Options() const {
    LintOptions options;
    options.today = "2026-11-28";
    return options;
  }
  testing::ScratchDir dir_;
  fleet::Fleet fleet_;
};

TEST_F(LintFleetTargetsTest, FindingsBelongToTheTargetWhoseDockerfileHasThem) {
  auto by_target = LintFleetTargets(fleet_, {}, Options());
  ASSERT_TRUE(by_target) << by_target.error().ToString();
  EXPECT_THAT(*by_target, ElementsAre(Key("bad"), Key("base"), Key("good")));
  auto refusals = BuildRefusals(*by_target);
  ASSERT_THAT(refusals, ElementsAre(Key("bad")));
  EXPECT_THAT(refusals["bad"], HasSubstr("lint PL101 at " + (dir_ / "bad/Dockerfile") + ":2:1: "));
  // The whole fleet's lint is the union of the targets'.
  auto all = LintFleet(fleet_, Options());
  ASSERT_TRUE(all);
  size_t n = 0;
  for (const auto& [name, result] : *by_target) n += result.findings.size();
  EXPECT_EQ(all->findings.size(), n);
  EXPECT_TRUE(all->failed);
}

TEST_F(LintFleetTargetsTest, OnlyTheNamedTargetsAreLinted) {
  auto by_target = LintFleetTargets(fleet_, {"good"}, Options());
  ASSERT_TRUE(by_target) << by_target.error().ToString();
  EXPECT_THAT(*by_target, ElementsAre(Key("good")));
  EXPECT_TRUE(BuildRefusals(*by_target).empty());
}

TEST_F(LintFleetTargetsTest, TheDockerfileIsCheckedWithTheBuildArgsItIsBuiltWith) {
  LintOptions options = Options();
  options.build_args["good"] = {{"BASE", "pickme/base:latest-amd64"}};
  auto by_target = LintFleetTargets(fleet_, {"good"}, options);
  ASSERT_TRUE(by_target) << by_target.error().ToString();
  EXPECT_THAT(BuildRefusals(*by_target)["good"], HasSubstr("lint PL101 at "));
}

}  // namespace
}  // namespace plinth::lint
