// `plinth lint` on RUN commands as a user runs it: the shell rules on a bare Dockerfile (heredoc
// RUNs included), their exit codes (DL3004 is an error, the pinning rules are warnings),
// .hadolint.yaml and ignore comments on them, JSON output, and --explain.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunPlinth;

const char* kDockerfile =
    "FROM debian:12\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends curl wget=1.21 \\\n"
    "    && rm -rf /var/lib/apt/lists/*\n"
    "RUN <<EOF\n"
    "set -e\n"
    "cd /opt\n"
    "curl -fsSL https://example.com/x.tgz | tar xz\n"
    "EOF\n"
    "RUN cat <<EOF > /etc/motd\n"
    "sudo make me a sandwich\n"
    "EOF\n"
    "CMD [\"bash\"]\n";

TEST(LintShellCliTest, ShellRulesOnABareDockerfile) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile", kDockerfile);
  auto r = RunPlinth({"lint", dir / "Dockerfile"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // warnings and infos only
  EXPECT_THAT(r.out,
              HasSubstr("Dockerfile:2:1: warning [PL233] Pin versions in apt-get install (curl)"));
  EXPECT_THAT(r.out,
              HasSubstr("Dockerfile:4:1: warning [PL231] Use WORKDIR to switch to a directory"));
  EXPECT_THAT(r.out, HasSubstr("Dockerfile:4:1: warning [PL219] Set the SHELL option -o pipefail"));
  EXPECT_THAT(r.out, Not(HasSubstr("PL232")));  // the sudo is in a file's text, not a command
  EXPECT_THAT(r.out, Not(HasSubstr("PL234")));  // the lists are removed

  testing::WriteTestFile(dir / "Dockerfile", std::string(kDockerfile) + "RUN sudo true\n");
  auto sudo = RunPlinth({"lint", "--format", "json", dir / "Dockerfile"});
  EXPECT_EQ(sudo.exit_code, 1) << sudo.out;
  bool found = false;
  for (const auto& f : nlohmann::json::parse(sudo.out))
    if (f["code"] == "PL232") {
      found = true;
      EXPECT_EQ(f["line"], 13);
      EXPECT_EQ(f["severity"], "error");
      EXPECT_EQ(f["aliases"][0], "DL3004");
    }
  EXPECT_TRUE(found) << sudo.out;
}

TEST(LintShellCliTest, HadolintConfigAndCommentsApply) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile",
                         "FROM debian:12\n# hadolint ignore=DL3003\nRUN cd /x && make\n"
                         "RUN sudo apt-get update\n");
  testing::WriteTestFile(dir / ".hadolint.yaml",
                         "override:\n  warning: [DL3004]\nfailure-threshold: error\n");
  auto r = RunPlinth({"lint", dir / "Dockerfile"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Dockerfile:4:1: warning [PL232]"));
  EXPECT_THAT(r.out, Not(HasSubstr("PL231")));
  testing::WriteTestFile(dir / ".hadolint.yaml", "ignored: [DL3004, sudo]\n");
  EXPECT_THAT(RunPlinth({"lint", dir / "Dockerfile"}).out, Not(HasSubstr("PL232")));
}

TEST(LintShellCliTest, ExplainsAShellRule) {
  auto r = RunPlinth({"lint", "--explain", "DL3059"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out,
              HasSubstr("PL256 (consecutive-runs, DL3059): Multiple consecutive RUN instructions"));
  EXPECT_THAT(r.out, HasSubstr("severity: info"));
  EXPECT_EQ(RunPlinth({"lint", "--explain", "apk-unpinned"}).exit_code, 0);
}

}  // namespace
}  // namespace plinth
