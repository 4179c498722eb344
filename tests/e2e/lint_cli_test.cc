// `plinth lint` and `plinth migrate` as a user runs them: on the Lucid example, its legacy form,
// bare Dockerfiles; text/json/sarif; --explain; exit codes 0, 1 and 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunPlinth;

std::string Example(const std::string& name) { return testing::SourceDir() + "/examples/" + name; }

TEST(LintCliTest, TheLucidFleetHasNoErrors) {
  auto r = RunPlinth({"lint"}, {}, Example("lucid"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("services/auth-service/Dockerfile:10:1: warning [PL108] upstream base "
                               "gcr.io/distroless/python3-debian12:nonroot is past its end of life"));
  EXPECT_THAT(r.out, Not(HasSubstr(": error ")));
}

TEST(LintCliTest, TheLegacyFleetFailsWithTheHybridViolations) {
  auto r = RunPlinth({"-f", Example("lucid-legacy") + "/plinth.yaml", "lint"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("services/mongodb/Dockerfile:15:1: error [PL101] service mongodb runs on "
                               "gcr.io/distroless/base-debian12, but its tier \"foundation\" denies gcr.io/distroless/*"));
  EXPECT_THAT(r.out, HasSubstr("services/api-gateway/Dockerfile:10:1: error [PL101] service api-gateway runs on "
                               "the fleet base lucid-base-python"));
}

TEST(LintCliTest, FormatsJsonAndSarif) {
  auto json = RunPlinth({"-f", Example("lucid-legacy") + "/plinth.yaml", "lint", "--format", "json"});
  EXPECT_EQ(json.exit_code, 1);
  auto array = nlohmann::json::parse(json.out);
  ASSERT_TRUE(array.is_array());
  ASSERT_FALSE(array.empty());
  for (const char* key : {"file", "line", "column", "severity", "code", "aliases", "message"})
    EXPECT_TRUE(array[0].contains(key)) << key;
  auto sarif = RunPlinth({"-f", Example("lucid-legacy") + "/plinth.yaml", "lint", "--format", "sarif"});
  EXPECT_EQ(nlohmann::json::parse(sarif.out)["version"], "2.1.0");
  EXPECT_EQ(RunPlinth({"lint", "--format", "xml"}, {}, Example("lucid")).exit_code, 2);
}

TEST(LintCliTest, BareDockerfilesAndExitCodes) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "clean/Dockerfile", "FROM debian:12\nCMD [\"true\"]\n");
  testing::WriteTestFile(dir / "warn/Dockerfile", "FROM debian\n");
  testing::WriteTestFile(dir / "bad/Dockerfile", "FROM debian:12\nWORKDIR app\n");
  EXPECT_EQ(RunPlinth({"lint", dir / "clean/Dockerfile"}).exit_code, 0);
  auto warn = RunPlinth({"lint", dir / "warn/Dockerfile"});
  EXPECT_EQ(warn.exit_code, 0);
  EXPECT_THAT(warn.out, HasSubstr("warn/Dockerfile:1:1: warning [PL203]"));
  auto bad = RunPlinth({"lint", dir / "bad/Dockerfile"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.out, HasSubstr("bad/Dockerfile:2:1: error [PL201] Use absolute WORKDIR"));
  testing::WriteTestFile(dir / "bad/.hadolint.yaml", "ignored: [DL3000]\n");
  EXPECT_EQ(RunPlinth({"lint", dir / "bad/Dockerfile"}).exit_code, 0);
  auto missing = RunPlinth({"lint", dir / "nope/Dockerfile"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("nope/Dockerfile"));
  EXPECT_EQ(RunPlinth({"lint"}, {}, dir.path()).exit_code, 2);  // no plinth.yaml, no files
}

TEST(LintCliTest, ExplainsARule) {
  auto r = RunPlinth({"lint", "--explain", "DL3006"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("PL203 (untagged-image, DL3006): Always tag the version of an image explicitly"));
  EXPECT_THAT(r.out, HasSubstr("Reported:\n    FROM debian\n"));
  EXPECT_EQ(RunPlinth({"lint", "--explain", "DL9999"}).exit_code, 2);
}

TEST(LintCliTest, AManifestErrorIsBadInput) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "plinth.yaml", "namespace: pickme\nservices:\n  a: {dockerfile: D, tier: t, group: g}\n");
  auto r = RunPlinth({"lint"}, {}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("plinth.yaml:3:19: service \"a\": Dockerfile \"D\" does not exist"));
}

TEST(MigrateCliTest, DryRunDiffThenMigrateThenNothingLeft) {
  testing::ScratchDir dir;
  namespace fs = std::filesystem;
  fs::copy(Example("lucid-legacy"), dir / "lucid-legacy", fs::copy_options::recursive);
  const std::string root = dir / "lucid-legacy";
  auto diff = RunPlinth({"migrate", "--dry-run"}, {}, root);
  EXPECT_EQ(diff.exit_code, 1) << diff.err;
  EXPECT_THAT(diff.out, HasSubstr("--- a/services/mongodb/Dockerfile\n+++ b/services/mongodb/Dockerfile\n"
                                  "@@ -12,7 +12,7 @@\n"));
  EXPECT_THAT(diff.out, HasSubstr("-FROM gcr.io/distroless/base-debian12\n+FROM pickme/lucid-base:latest-${TARGETARCH}\n"));
  EXPECT_THAT(diff.out, HasSubstr("-FROM pickme/lucid-base:python-distroless-${TARGETARCH}\n"
                                  "+FROM gcr.io/distroless/python3-debian12:nonroot\n"));
  EXPECT_EQ(RunPlinth({"lint"}, {}, root).exit_code, 1);  // --dry-run changed nothing

  auto migrate = RunPlinth({"migrate"}, {}, root);
  EXPECT_EQ(migrate.exit_code, 0) << migrate.err;
  EXPECT_THAT(migrate.out, HasSubstr("services/redis/Dockerfile:10:1: redis: gcr.io/distroless/python3-debian12:nonroot"));
  auto lint = RunPlinth({"lint"}, {}, root);
  EXPECT_EQ(lint.exit_code, 0) << lint.out;
  auto again = RunPlinth({"migrate", "--dry-run"}, {}, root);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(RunPlinth({"migrate"}, {}, root).out, "nothing to migrate\n");
}

}  // namespace
}  // namespace plinth
