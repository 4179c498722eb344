// End to end: the fleet's policy enforced by `plinth build`. A service whose Dockerfile has an
// error finding (PL101: an application service on the fleet's own base) is refused, named with
// the finding, while the rest builds with -k, and the build exits 1; --no-lint builds it and
// says so once. An image over its tier's size_budget fails the target, built or cached.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using testing::RunPlinth;

constexpr const char* kManifest = R"(version: 1
namespace: pol
image: "{namespace}/{name}:latest-{arch}"
platforms: [linux/amd64]
tiers:
  application:
    runtime_base: {deny: ["fleet:*"]}
  tiny:
    size_budget: 100B
groups:
  base: {phase: 0}
  apps: {phase: 1}
bases:
  base: {dockerfile: base/Dockerfile, context: base, group: base}
services:
  bad: {dockerfile: bad/Dockerfile, context: bad, tier: application, group: apps}
  good: {dockerfile: good/Dockerfile, context: good, tier: application, group: apps}
  small: {dockerfile: good/Dockerfile, context: good, tier: tiny, group: apps}
)";

struct Outcome {
  int exit_code = -1;
  std::string err;
  std::map<std::string, std::string> outcome;  // target → built|cached|failed|skipped
  std::map<std::string, std::string> detail;   // target → detail
};

class BuildPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteTestFile(dir_ / "plinth.yaml", kManifest);
    testing::WriteTestFile(dir_ / "base/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\nUSER 65532\n");
    testing::WriteTestFile(dir_ / "base/hello.txt", "hello\n");
    testing::WriteTestFile(dir_ / "bad/Dockerfile",
                           "FROM scratch AS s\nCOPY app.txt /app.txt\n"
                           "FROM pol/base:latest-${TARGETARCH}\nCOPY --from=s /app.txt /app.txt\nUSER 65532\n");
    testing::WriteTestFile(dir_ / "bad/app.txt", "bad\n");
    testing::WriteTestFile(dir_ / "good/Dockerfile",
                           "FROM scratch AS s\nCOPY app.txt /app.txt\n"
                           "FROM scratch\nCOPY --from=s /app.txt /app.txt\nUSER 65532\n");
    testing::WriteTestFile(dir_ / "good/app.txt", "good\n");
  }

  Outcome Build(std::vector<std::string> extra) {
    std::vector<std::string> args{"build", "--pull", "never", "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = RunPlinth(args, {}, dir_.path());
    Outcome o;
    o.exit_code = r.exit_code;
    o.err = r.err;
    for (const auto& line : testing::JsonLines(r.out)) {
      if (line["event"] != "finish") continue;
      o.outcome[line["target"]] = line["outcome"];
      if (line.contains("detail")) o.detail[line["target"]] = line["detail"];
    }
    return o;
  }

  testing::ScratchDir dir_;
};

TEST_F(BuildPolicyTest, AnErrorFindingRefusesThatTargetOnlyNamingTheFinding) {
  auto o = Build({"-k", "bad", "good"});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_EQ(o.outcome["bad@linux/amd64"], "failed");
  EXPECT_NE(o.detail["bad@linux/amd64"].find("lint PL101 at bad/Dockerfile:3:1: service bad runs on the fleet base"),
            std::string::npos)
      << o.detail["bad@linux/amd64"];
  EXPECT_EQ(o.outcome["good@linux/amd64"], "built");
  EXPECT_EQ(o.outcome["base@linux/amd64"], "built");
  // Nothing was made for the refused target.
  auto ls = RunPlinth({"store", "ls"}, {}, dir_.path());
  EXPECT_EQ(ls.out.find("pol/bad:"), std::string::npos) << ls.out;
}

TEST_F(BuildPolicyTest, NoLintBuildsTheTargetAnywayAndSaysSoOnce) {
  auto o = Build({"--no-lint", "bad", "good"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.outcome["bad@linux/amd64"], "built");
  size_t first = o.err.find("--no-lint");
  ASSERT_NE(first, std::string::npos) << o.err;
  EXPECT_EQ(o.err.find("--no-lint", first + 1), std::string::npos) << o.err;
}

TEST_F(BuildPolicyTest, AnImageOverItsTiersSizeBudgetFailsBuiltOrCached) {
  for (const char* made : {"built", "cached"}) {
    auto o = Build({"small", "good"});
    EXPECT_EQ(o.exit_code, 1) << made << o.err;
    EXPECT_EQ(o.outcome["small@linux/amd64"], "failed") << made;
    const std::string& detail = o.detail["small@linux/amd64"];
    EXPECT_NE(detail.find("plinth.yaml:8:3: image is "), std::string::npos) << detail;
    EXPECT_NE(detail.find(" B compressed (layers, config and manifest), over the 100 B size_budget "
                          "of tier \"tiny\" by "),
              std::string::npos)
        << detail;
    EXPECT_EQ(o.outcome["good@linux/amd64"], made) << "a target without a budget is not held back";
  }
}

}  // namespace
}  // namespace plinth
