// End to end: the fleet's policy enforced by `plinth build`. A service whose Dockerfile has an
// error finding (PL101: an application service on the fleet's own base) is refused, named with
// the finding, while the rest builds with -k, and the build exits 1; --no-lint builds it and
// says so once. An image over its tier's size_budget fails the target, built or cached.
// `--build-arg` overrides plinth.yaml's build args and is part of the key (another image, then
// the first one back from the cache); `--target STAGE` builds that stage of one target.
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

constexpr const char* kArgsManifest = R"(version: 1
namespace: args
image: "{namespace}/{name}:latest-{arch}"
platforms: [linux/amd64]
tiers: {any: {}}
groups: {apps: {phase: 1}}
services:
  app: {dockerfile: app/Dockerfile, context: app, tier: any, group: apps, build_args: {GREETING: yaml}}
  other: {dockerfile: app/Dockerfile, context: app, tier: any, group: apps}
)";

class BuildArgsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteTestFile(dir_ / "plinth.yaml", kArgsManifest);
    testing::WriteTestFile(dir_ / "app/Dockerfile",
                           "ARG GREETING=dockerfile\n"
                           "FROM scratch AS build\nCOPY app.txt /app.txt\n"
                           "FROM scratch AS runtime\nARG GREETING\nLABEL greeting=$GREETING\n"
                           "COPY --from=build /app.txt /app.txt\nUSER 65532\n");
    testing::WriteTestFile(dir_ / "app/app.txt", "app\n");
  }

  struct Made {
    int exit_code = -1;
    std::string outcome, digest, err;
  };
  // Builds `app` (and `extra`) and returns how app@linux/amd64 was made.
  Made Build(std::vector<std::string> extra) {
    std::vector<std::string> args{"build", "--pull", "never", "--format", "json", "app"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = RunPlinth(args, {}, dir_.path());
    Made m{r.exit_code, "", "", r.err};
    for (const auto& line : testing::JsonLines(r.out)) {
      if (line["event"] != "finish" || line["target"] != "app@linux/amd64") continue;
      m.outcome = line["outcome"];
      if (line.contains("digest")) m.digest = line["digest"];
    }
    return m;
  }
  std::string Inspect() {
    return RunPlinth({"image", "inspect", "args/app:latest-amd64"}, {}, dir_.path()).out;
  }

  testing::ScratchDir dir_;
};

TEST_F(BuildArgsTest, ABuildArgOverridesTheManifestAndIsPartOfTheKey) {
  Made first = Build({});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.outcome, "built");
  EXPECT_NE(Inspect().find(R"("greeting":"yaml")"), std::string::npos) << Inspect();

  Made overridden = Build({"--build-arg", "GREETING=cli"});
  ASSERT_EQ(overridden.exit_code, 0) << overridden.err;
  EXPECT_EQ(overridden.outcome, "built");
  EXPECT_NE(overridden.digest, first.digest);
  EXPECT_NE(Inspect().find(R"("greeting":"cli")"), std::string::npos) << Inspect();

  Made again = Build({});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.outcome, "cached");
  EXPECT_EQ(again.digest, first.digest);
  EXPECT_NE(Inspect().find(R"("greeting":"yaml")"), std::string::npos) << Inspect();
}

TEST_F(BuildArgsTest, TargetBuildsTheNamedStageOfOneTarget) {
  Made whole = Build({});
  Made stage = Build({"--target", "build"});
  ASSERT_EQ(stage.exit_code, 0) << stage.err;
  EXPECT_EQ(stage.outcome, "built");
  EXPECT_NE(stage.digest, whole.digest);
  // The build stage has no label and no user: it is not the runtime stage.
  std::string inspected = Inspect();
  EXPECT_EQ(inspected.find("greeting"), std::string::npos) << inspected;
  EXPECT_NE(inspected.find("User:       -"), std::string::npos) << inspected;
  Made back = Build({});
  EXPECT_EQ(back.outcome, "cached");
  EXPECT_EQ(back.digest, whole.digest);
}

TEST_F(BuildArgsTest, PlanTakesTheSameFlagsAndForecastsTheirKeys) {
  ASSERT_EQ(Build({}).exit_code, 0);
  auto state = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"plan", "--format", "json", "app"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = RunPlinth(args, {}, dir_.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto json = nlohmann::json::parse(r.out, nullptr, false);
    if (json.is_discarded() || json["targets"].empty()) return std::string("?");
    const auto& t = json["targets"][0];
    std::string out = t["state"];
    for (const auto& reason : t["reasons"]) out += "; " + reason.get<std::string>();
    return out;
  };
  EXPECT_EQ(state({}), "cached");
  EXPECT_EQ(state({"--build-arg", "GREETING=cli"}), "build; arg:GREETING changed; build-arg:GREETING changed");
  EXPECT_EQ(state({"--target", "build"}).substr(0, 26), "build; target-stage added;");
  Made built = Build({"--build-arg", "GREETING=cli"});
  ASSERT_EQ(built.outcome, "built");
  EXPECT_EQ(state({"--build-arg", "GREETING=cli"}), "cached");
}

TEST_F(BuildArgsTest, TargetWithoutExactlyOneTargetOrWithAnUnknownStageIsBadInput) {
  auto two = RunPlinth({"build", "--target", "build", "app", "other"}, {}, dir_.path());
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_NE(two.err.find("name exactly one target (2 named)"), std::string::npos) << two.err;
  auto none = RunPlinth({"build", "--target", "build"}, {}, dir_.path());
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("name exactly one target (0 named)"), std::string::npos) << none.err;
  auto typo = RunPlinth({"build", "--target", "buidl", "app"}, {}, dir_.path());
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("--target 'buidl': no stage of that name; did you mean 'build'?"),
            std::string::npos)
      << typo.err;
  auto bad_arg = RunPlinth({"build", "--build-arg", "GREETING", "app"}, {}, dir_.path());
  EXPECT_EQ(bad_arg.exit_code, 2);
  EXPECT_NE(bad_arg.err.find("--build-arg 'GREETING': give NAME=VALUE"), std::string::npos) << bad_arg.err;
}

}  // namespace
}  // namespace plinth
