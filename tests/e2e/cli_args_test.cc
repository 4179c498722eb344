// End to end: how the `plinth` command line reads its words (issue 14, "CLI traps"): a
// repeatable option takes one value per occurrence, so positional words may come after it; the
// global options (-f, --store, -v) are read before or after the subcommand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "e2e/scratch_fleet_support.h"
#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using ::testing::HasSubstr;
using testing::RunPlinth;

// The targets `plinth plan --format json ARGS…` would build, by name.
std::set<std::string> PlannedTargets(const std::string& fleet, std::vector<std::string> args) {
  args.insert(args.begin(), "plan");
  args.insert(args.end(), {"--format", "json"});
  auto r = RunPlinth(args, {}, fleet);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::set<std::string> names;
  if (r.exit_code != 0) return names;
  auto plan = nlohmann::json::parse(r.out);
  for (const auto& t : plan["targets"]) names.insert(t["target"].get<std::string>());
  return names;
}

class CliArgsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteScratchFleet(Fleet(), {"one", "two"}, {"linux/amd64", "linux/arm64"});
  }
  std::string Fleet() const { return dir_ / "fleet"; }
  testing::ScratchDir dir_;
};

TEST_F(CliArgsTest, BuildPlatformDoesNotSwallowTheTargetAfterIt) {
  auto r =
      RunPlinth({"build", "--platform", "linux/amd64", "one", "--format", "json"}, {}, Fleet());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::map<std::string, std::string> outcome;
  for (const auto& line : testing::JsonLines(r.out))
    if (line["event"] == "finish") outcome[line["target"]] = line["outcome"];
  EXPECT_EQ(outcome, (std::map<std::string, std::string>{{"one@linux/amd64", "built"}}));
}

TEST_F(CliArgsTest, PlanPlatformRepeatedWithCommasOrEqualsAndTargetsInAnyOrder) {
  std::set<std::string> two_both{"two@linux/amd64", "two@linux/arm64"};
  EXPECT_EQ(PlannedTargets(Fleet(), {"--platform", "linux/arm64", "two"}),
            std::set<std::string>{"two@linux/arm64"});
  EXPECT_EQ(
      PlannedTargets(Fleet(), {"--platform", "linux/amd64", "--platform", "linux/arm64", "two"}),
      two_both);
  EXPECT_EQ(PlannedTargets(Fleet(), {"two", "--platform", "linux/amd64,linux/arm64"}), two_both);
  EXPECT_EQ(PlannedTargets(Fleet(), {"--platform=linux/amd64", "one", "two"}),
            (std::set<std::string>{"one@linux/amd64", "two@linux/amd64"}));
  // Two words after one --platform: the second is a target, not a platform.
  auto r = RunPlinth({"plan", "--platform", "linux/amd64", "one", "linux/arm64"}, {}, Fleet());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_THAT(r.err, HasSubstr("linux/arm64")) << r.err;
}

TEST_F(CliArgsTest, EveryRepeatableOptionTakesOneValue) {
  // build's other repeatable options: the target after --insecure HOST is not a second host.
  auto r = RunPlinth({"build", "--insecure", "localhost:5000", "two", "--platform", "linux/arm64",
                      "--pull", "never", "--format", "json"},
                     {}, Fleet());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::set<std::string> finished;
  for (const auto& line : testing::JsonLines(r.out))
    if (line["event"] == "finish") finished.insert(line["target"].get<std::string>());
  EXPECT_EQ(finished, std::set<std::string>{"two@linux/arm64"});
}

TEST_F(CliArgsTest, StoreBeforeOrAfterTheSubcommand) {
  for (bool after : {false, true}) {
    SCOPED_TRACE(after ? "after" : "before");
    std::string store = dir_ / (after ? "store-after" : "store-before");
    std::vector<std::string> args =
        after
            ? std::vector<std::string>{"plan", "one", "--store", store, "--platform", "linux/amd64"}
            : std::vector<std::string>{"--store", store,        "plan",
                                       "one",     "--platform", "linux/amd64"};
    auto r = RunPlinth(args, {}, Fleet());
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(std::filesystem::exists(store + "/oci-layout")) << store;
    auto version = RunPlinth(after ? std::vector<std::string>{"version", "-v", "--store", store}
                                   : std::vector<std::string>{"-v", "--store", store, "version"});
    EXPECT_EQ(version.exit_code, 0) << version.err;
    EXPECT_THAT(version.out, HasSubstr("store: " + store));
  }
  // Neither run fell back to the default store beside plinth.yaml.
  EXPECT_FALSE(std::filesystem::exists(Fleet() + "/.plinth"));
}

TEST_F(CliArgsTest, FleetFileBeforeOrAfterTheSubcommand) {
  std::string legacy = testing::SourceDir() + "/examples/lucid-legacy/plinth.yaml";
  for (const auto& args :
       {std::vector<std::string>{"-f", legacy, "lint"},
        std::vector<std::string>{"lint", "-f", legacy},
        std::vector<std::string>{"lint", "--file", legacy, "--format", "json"}}) {
    SCOPED_TRACE(args[0] + " " + args[1]);
    auto r = RunPlinth(args, {}, dir_.path());  // no plinth.yaml here: only -f names the fleet
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("PL101")) << r.err;
  }
}

}  // namespace
}  // namespace plinth
