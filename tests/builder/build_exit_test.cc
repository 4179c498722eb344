// What `plinth build` exits with: complete, failed, incomplete (a target skipped that no
// --allow-unreachable names) or interrupted.
#include "builder/build_exit.h"

#include <gtest/gtest.h>

namespace plinth::builder {
namespace {

class BuildExitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"base@linux/amd64", "mongodb@linux/amd64", "mongodb@linux/arm64",
                             "engine@linux/arm64", "engine@linux/amd64"})
      ids_.push_back(*graph_.Add(name));
  }

  std::vector<TargetResult> All(TargetOutcome outcome) {
    std::vector<TargetResult> out;
    for (auto id : ids_) out.push_back({id, outcome, "", 0});
    return out;
  }

  AllowedSkips Allow(const std::vector<std::string>& names) {
    auto allowed = AllowedSkips::Parse(names, graph_);
    EXPECT_TRUE(allowed.ok()) << allowed.error().ToString();
    return allowed ? *allowed : *AllowedSkips::Parse({}, graph_);
  }

  plan::TargetGraph graph_;
  std::vector<plan::TargetId> ids_;
};

TEST_F(BuildExitTest, CompleteOnlyWhenEveryTargetIsBuiltOrCached) {
  auto results = All(TargetOutcome::kBuilt);
  results[1].outcome = TargetOutcome::kCached;
  EXPECT_EQ(ExitFor(results, graph_, Allow({}), false, false), BuildExit::kComplete);
  EXPECT_EQ(ExitFor(results, graph_, Allow({}), /*index_failed=*/true, false), BuildExit::kFailed);
  EXPECT_EQ(ExitFor(results, graph_, Allow({}), false, /*interrupted=*/true),
            BuildExit::kInterrupted);
}

TEST_F(BuildExitTest, ASkippedTargetMakesTheBuildIncompleteUnlessAllowedByName) {
  auto results = All(TargetOutcome::kBuilt);
  results[1].outcome = results[2].outcome = TargetOutcome::kSkipped;  // mongodb, both platforms
  results[3].outcome = TargetOutcome::kSkipped;                       // engine@linux/arm64
  EXPECT_EQ(ExitFor(results, graph_, Allow({}), false, false), BuildExit::kIncomplete);
  EXPECT_EQ(ExitFor(results, graph_, Allow({"mongodb"}), false, false), BuildExit::kIncomplete);
  EXPECT_EQ(ExitFor(results, graph_, Allow({"mongodb", "engine@linux/arm64"}), false, false),
            BuildExit::kComplete);
  // Allowing one platform does not allow the other.
  results[3].outcome = TargetOutcome::kBuilt;
  results[4].outcome = TargetOutcome::kSkipped;
  EXPECT_EQ(ExitFor(results, graph_, Allow({"mongodb", "engine@linux/arm64"}), false, false),
            BuildExit::kIncomplete);
  // A failure outranks every skip.
  results[0].outcome = TargetOutcome::kFailed;
  EXPECT_EQ(ExitFor(results, graph_, Allow({"mongodb", "engine"}), false, false),
            BuildExit::kFailed);
}

TEST_F(BuildExitTest, AnAllowanceThatNamesNoTargetIsAnError) {
  auto typo = AllowedSkips::Parse({"mongo"}, graph_);
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(typo.error().message().find("'mongo' names no target"), std::string::npos);
  EXPECT_FALSE(AllowedSkips::Parse({"engine@linux/riscv64"}, graph_).ok());
  EXPECT_TRUE(AllowedSkips::Parse({"engine", "engine@linux/amd64"}, graph_).ok());
}

}  // namespace
}  // namespace plinth::builder
