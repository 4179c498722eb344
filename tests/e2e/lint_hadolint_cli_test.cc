// `plinth lint` as a hadolint user runs it (issue 17): hadolint's configuration found the way
// hadolint finds it, the HADOLINT_* variables and flags, the CI formats parsed back, colour on a
// real terminal (through `script`'s pseudo-terminal) unless NO_COLOR or --no-color, and
// ShellCheck's findings from the real shellcheck.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunPlinth;

const char* kDockerfile =
    "FROM debian\n"   // DL3006 warning
    "WORKDIR app\n"   // DL3000 error
    "RUN echo $1\n";  // SC2086 info

TEST(LintHadolintCliTest, ConfigurationFromTheRepositoryRootAndTheEnvironment) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "repo/svc/Dockerfile", kDockerfile);
  ASSERT_TRUE(MakeDirs(dir / "repo/.git"));
  std::string dockerfile = dir / "repo/svc/Dockerfile";
  std::map<std::string, std::string> env = {{"HOME", dir / "home"},
                                            {"XDG_CONFIG_HOME", dir / "xdg"}};
  auto plain = RunPlinth({"lint", "--format", "gnu", dockerfile}, env);
  EXPECT_EQ(plain.exit_code, 1) << plain.err;
  EXPECT_THAT(plain.out, HasSubstr("svc/Dockerfile:2:1: DL3000 error"));
  EXPECT_THAT(plain.out, HasSubstr("svc/Dockerfile:3:10: SC2086 info"));

  testing::WriteTestFile(dir / "repo/.hadolint.yaml", "ignored: [DL3000]\nformat: gnu\n");
  auto configured = RunPlinth({"lint", dockerfile}, env);
  EXPECT_EQ(configured.exit_code, 0) << configured.out << configured.err;
  EXPECT_THAT(configured.out, Not(HasSubstr("DL3000")));
  EXPECT_THAT(configured.out, HasSubstr("plinth:" + dockerfile + ":1:1: DL3006 warning"));

  env["HADOLINT_FAILURE_THRESHOLD"] = "info";
  env["HADOLINT_IGNORE"] = "SC2086";
  auto threshold = RunPlinth({"lint", dockerfile}, env);
  EXPECT_EQ(threshold.exit_code, 1);
  EXPECT_THAT(threshold.out, Not(HasSubstr("SC2086")));
  EXPECT_EQ(RunPlinth({"lint", "--no-fail", dockerfile}, env).exit_code, 0);
  EXPECT_EQ(RunPlinth({"lint", dockerfile}, {{"HADOLINT_NOFAIL", "1"}}).exit_code, 0);
}

TEST(LintHadolintCliTest, ABadConfigurationIsBadInputAtItsPlace) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile", kDockerfile);
  testing::WriteTestFile(dir / ".hadolint.yaml", "ignored: [DL3000]\nstrict-labels: sometimes\n");
  auto r = RunPlinth({"lint", dir / "Dockerfile"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(".hadolint.yaml:2:16: strict-labels: expected true or false"));
  auto env = RunPlinth({"lint", "--config", dir / "missing.yaml", dir / "Dockerfile"});
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_EQ(RunPlinth({"lint", "-t", "fatal", dir / "Dockerfile"}).exit_code, 2);
  EXPECT_EQ(RunPlinth({"lint", "--format", "codacy", dir / "Dockerfile"}).exit_code, 2);
}

TEST(LintHadolintCliTest, CiFormatsParseBack) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile", kDockerfile);
  auto cc = RunPlinth({"lint", "--format", "gitlab_codeclimate", dir / "Dockerfile"});
  EXPECT_EQ(cc.exit_code, 1);
  auto issues = nlohmann::json::parse(cc.out);
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[2]["check_name"], "SC2086");
  EXPECT_EQ(issues[2]["location"]["lines"]["begin"], 3);
  testing::WriteTestFile(dir / "out.xml",
                         RunPlinth({"lint", "--format", "checkstyle", dir / "Dockerfile"}).out);
  auto parsed = testing::Run({"python3", "-c",
                              "import sys, xml.etree.ElementTree as E\n"
                              "r = E.parse(sys.argv[1]).getroot()\n"
                              "print(','.join(e.get('source') for e in r.findall('file/error')))\n",
                              dir / "out.xml"});
  EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_EQ(parsed.out, "DL3006,DL3000,SC2086\n");
}

TEST(LintHadolintCliTest, TtyColoursOnATerminalUnlessToldNot) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile", kDockerfile);
  // `script` runs the command on a pseudo-terminal, as a person's shell would.
  auto on_tty = [&](const std::string& extra, std::map<std::string, std::string> env) {
    env["TERM"] = "xterm";
    return testing::Run(
        {"script", "-qec",
         testing::PlinthBinary() + " lint --format tty " + extra + " " + dir / "Dockerfile",
         "/dev/null"},
        env);
  };
  auto colour = on_tty("", {{"NO_COLOR", ""}});
  EXPECT_THAT(colour.out, HasSubstr("\033[1;31merror\033[0m"));
  EXPECT_THAT(on_tty("", {{"NO_COLOR", "1"}}).out, Not(HasSubstr("\033[")));
  EXPECT_THAT(on_tty("--no-color", {{"NO_COLOR", ""}}).out, Not(HasSubstr("\033[")));
  // Piped, no colour at all.
  EXPECT_THAT(RunPlinth({"lint", "--format", "tty", dir / "Dockerfile"}).out,
              Not(HasSubstr("\033[")));
}

TEST(LintHadolintCliTest, WithoutShellcheckTheOtherRulesRun) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile", kDockerfile);
  auto r =
      RunPlinth({"lint", "--format", "gnu", dir / "Dockerfile"}, {{"PATH", dir / "empty-path"}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("shellcheck is not installed"));
  EXPECT_THAT(r.out, HasSubstr("DL3000"));
  EXPECT_THAT(r.out, Not(HasSubstr("SC2086")));
  auto off = RunPlinth({"lint", "--no-shellcheck", "--format", "gnu", dir / "Dockerfile"});
  EXPECT_THAT(off.out, Not(HasSubstr("SC2086")));
  EXPECT_EQ(off.err, "");
}

TEST(LintHadolintCliTest, ExplainsAShellcheckCode) {
  auto r = RunPlinth({"lint", "--explain", "SC2086"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("PL320 (shellcheck)"));
  EXPECT_THAT(r.out, HasSubstr("https://www.shellcheck.net/wiki/SC2086"));
  EXPECT_EQ(RunPlinth({"lint", "--explain", "SCX"}).exit_code, 2);
}

}  // namespace
}  // namespace plinth
