// ShellCheck on RUN, against the real `shellcheck` (Debian's package; scripts/test.sh installs
// it): findings at the Dockerfile's line and column, ARG/ENV names known, SC codes suppressible,
// one process per Dockerfile, the shell in force, and a missing program.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lint/linter.h"
#include "lint/shellcheck_runner.h"
#include "support/test_env.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::lint {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> ScFindings(const std::string& text, LintConfig config = {},
                                    const std::string& program = "shellcheck") {
  LintOptions options;
  options.config = config;
  options.shellcheck = program;
  auto result = LintDockerfileText(text, "Dockerfile", options);
  EXPECT_TRUE(result) << result.error().ToString();
  std::vector<std::string> out;
  if (!result) return out;
  for (const auto& f : result->findings)
    if (f.code.starts_with("SC"))
      out.push_back(f.code + "@" + std::to_string(f.location.line) + ":" +
                    std::to_string(f.location.column) + ":" + SeverityName(f.severity));
  return out;
}

TEST(ShellcheckTest, TheRealShellcheckIsInstalled) {
  ASSERT_TRUE(FindProgram("shellcheck").has_value())
      << "apt-get install shellcheck (scripts/test.sh does)";
}

TEST(ShellcheckTest, FindingsComeBackAtTheDockerfilesLineAndColumn) {
  const std::string text =
      "FROM debian:12\n"
      "ARG VERSION\n"
      "ENV APP_HOME=/app\n"
      "RUN echo \"$VERSION\" \"$APP_HOME\" \"$undefined_thing\"\n"  // 4: only the undefined name
      "RUN --mount=type=cache,target=/var/cache \\\n"               // 5
      "    apt-get update && \\\n"                                  // 6
      "# a comment BuildKit drops\n"                                // 7
      "    echo $1\n"                                               // 8
      "RUN <<EOF\n"                                                 // 9
      "echo $2\n"                                                   // 10
      "EOF\n";
  EXPECT_EQ(ScFindings(text), (std::vector<std::string>{"SC2154@4:34:warning", "SC2086@8:10:info",
                                                        "SC2086@10:6:info"}));
}

TEST(ShellcheckTest, SuppressedBySccodeOrAsAWhole) {
  const std::string text = "FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $1\nRUN echo $2\n";
  EXPECT_EQ(ScFindings(text), (std::vector<std::string>{"SC2086@4:10:info"}));
  LintConfig config;
  config.ignored = {"shellcheck"};
  EXPECT_EQ(ScFindings(text, config), std::vector<std::string>{});
  config.ignored = {"SC2086"};
  EXPECT_EQ(ScFindings(text, config), std::vector<std::string>{});
  config.ignored = {};
  config.overrides["SC2086"] = Severity::kError;
  EXPECT_EQ(ScFindings(text, config), (std::vector<std::string>{"SC2086@4:10:error"}));
}

TEST(ShellcheckTest, TheShellInForceDecidesTheDialectOrSkipsTheRun) {
  // [[ ]] is fine in bash, not in sh (SC3010); PowerShell and zsh are not checked.
  const std::string text =
      "FROM debian:12\n"
      "RUN [[ -n \"$HOME\" ]] && true\n"
      "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
      "RUN [[ -n \"$HOME\" ]] && true\n"
      "SHELL [\"/bin/zsh\", \"-c\"]\n"
      "RUN echo $1\n"
      "FROM debian:12\n"
      "# hadolint shell=pwsh\n"
      "RUN Write-Host $env:FOO\n"
      "FROM debian:12\n"
      "RUN [\"sh\", \"-c\", \"echo $1\"]\n";
  auto found = ScFindings(text);
  ASSERT_EQ(found.size(), 1u) << ::testing::PrintToString(found);
  EXPECT_THAT(found[0], HasSubstr("@2:"));
  EXPECT_THAT(found[0], HasSubstr("SC3010"));
}

TEST(ShellcheckTest, OneProcessPerDockerfile) {
  testing::ScratchDir dir;
  auto real = FindProgram("shellcheck");
  ASSERT_TRUE(real);
  testing::WriteTestFile(
      dir / "shellcheck",
      "#!/bin/sh\necho run >> '" + dir / "calls" + "'\nexec '" + *real + "' \"$@\"\n", 0755);
  const std::string text =
      "FROM debian:12\nRUN echo $1\nRUN echo $2\nRUN echo $3\nFROM debian:12\nRUN echo $4\n";
  EXPECT_EQ(ScFindings(text, {}, dir / "shellcheck").size(), 4u);
  auto calls = ReadFile(dir / "calls");
  ASSERT_TRUE(calls);
  EXPECT_EQ(*calls, "run\n");
}

TEST(ShellcheckTest, AFileWithMoreThan512RunsGoesInBatches) {
  testing::ScratchDir dir;
  auto real = FindProgram("shellcheck");
  ASSERT_TRUE(real);
  testing::WriteTestFile(
      dir / "shellcheck",
      "#!/bin/sh\necho run >> '" + dir / "calls" + "'\nexec '" + *real + "' \"$@\"\n", 0755);
  std::string text = "FROM debian:12\n";
  for (int i = 0; i < 513; ++i) text += "RUN echo $" + std::to_string(i % 9 + 1) + "\n";
  auto found = ScFindings(text, {}, dir / "shellcheck");
  ASSERT_EQ(found.size(), 513u);
  EXPECT_EQ(found.back(), "SC2086@514:10:info");
  EXPECT_EQ(*ReadFile(dir / "calls"), "run\nrun\n");
}

TEST(ShellcheckTest, AMissingProgramLeavesTheOtherRulesRunning) {
  ::testing::internal::CaptureStderr();
  LintOptions options;
  options.config = LintConfig{};
  options.shellcheck = "/nonexistent/shellcheck";
  auto result =
      LintDockerfileText("FROM debian:12\nWORKDIR app\nRUN echo $1\n", "Dockerfile", options);
  std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(result) << result.error().ToString();
  ASSERT_EQ(result->findings.size(), 1u);
  EXPECT_EQ(result->findings[0].code, "PL201");
  // Said once per process: empty when an earlier test already said it.
  if (!err.empty()) EXPECT_THAT(err, HasSubstr("is not installed"));
}

TEST(ShellcheckTest, ScriptsKeepColumnsAndExportDeclaredNames) {
  auto view = ViewDockerfile(
      "ARG G\nFROM debian:12 AS a\nENV E=1\nFROM a\nARG B\n  RUN --network=none echo hi\n",
      "Dockerfile", ViewOptions{});
  ASSERT_TRUE(view);
  auto scripts = ShellcheckScripts(*view);
  ASSERT_EQ(scripts.size(), 1u);
  // The global ARG is not in scope without a redeclaration; the parent stage's ENV is.
  EXPECT_EQ(scripts[0].text, "#!/bin/sh\nexport B=1 E=1\n" + std::string(21, ' ') + "echo hi\n");
  EXPECT_EQ(scripts[0].first_line, 6);
}

TEST(ShellcheckTest, BadJsonIsAnError) {
  EXPECT_FALSE(ParseShellcheckJson("not json", {}, {}, "Dockerfile"));
  auto none = ParseShellcheckJson("{\"comments\": []}", {}, {}, "Dockerfile");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace plinth::lint
