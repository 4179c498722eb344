// hadolint's configuration: which file applies (next to the Dockerfile, the repository root,
// $XDG_CONFIG_HOME, home), every key, the HADOLINT_* variables, the pragmas, and errors with
// their place.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "lint/dockerfile_view.h"
#include "lint/linter.h"
#include "lint/suppressions.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::lint {
namespace {

using ::testing::HasSubstr;

// An environment with only these variables.
GetEnv Env(std::map<std::string, std::string> vars) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

TEST(LintConfigFileTest, NextToTheDockerfileThenRepositoryRootThenXdgThenHome) {
  testing::ScratchDir dir;
  std::string repo = dir / "repo", sub = dir / "repo/services/app";
  testing::WriteTestFile(sub + "/Dockerfile", "FROM debian:12\n");
  ASSERT_TRUE(MakeDirs(repo + "/.git"));
  testing::WriteTestFile(dir / "xdg/hadolint.yaml", "ignored: [DL3006]\n");
  testing::WriteTestFile(dir / "home/.hadolint.yaml", "ignored: [DL3007]\n");
  auto env = Env({{"XDG_CONFIG_HOME", dir / "xdg"}, {"HOME", dir / "home"}});

  EXPECT_EQ(FindLintConfigFile(sub + "/Dockerfile", env), dir / "xdg/hadolint.yaml");
  EXPECT_EQ(FindLintConfigFile(sub + "/Dockerfile", Env({{"HOME", dir / "home"}})),
            dir / "home/.hadolint.yaml");
  testing::WriteTestFile(repo + "/.hadolint.yml", "ignored: [DL3008]\n");
  EXPECT_EQ(FindLintConfigFile(sub + "/Dockerfile", env), repo + "/.hadolint.yml");
  testing::WriteTestFile(sub + "/.hadolint.yaml", "ignored: [DL3009]\n");
  EXPECT_EQ(FindLintConfigFile(sub + "/Dockerfile", env), sub + "/.hadolint.yaml");
  EXPECT_EQ(FindLintConfigFile(dir / "elsewhere/Dockerfile", Env({})), "");

  // Files are not merged: the nearest one alone applies.
  auto config = LoadLintConfigFor(sub + "/Dockerfile", env);
  ASSERT_TRUE(config) << config.error().ToString();
  EXPECT_EQ(config->ignored, (std::set<std::string>{"DL3009"}));
}

TEST(LintConfigFileTest, EveryKey) {
  auto config = ParseLintConfig(
      "ignored: [DL3006]\n"
      "trustedRegistries: [docker.io]\n"
      "override: {warning: [DL3000], style: [DL3002]}\n"
      "failure-threshold: warning\n"
      "label-schema: {version: semver, source: url}\n"
      "strict-labels: true\n"
      "disable-ignore-pragma: true\n"
      "no-fail: true\n"
      "no-color: true\n"
      "format: checkstyle\n",
      ".hadolint.yaml");
  ASSERT_TRUE(config) << config.error().ToString();
  EXPECT_EQ(config->ignored, (std::set<std::string>{"DL3006"}));
  EXPECT_EQ(config->trusted_registries, (std::vector<std::string>{"docker.io"}));
  EXPECT_EQ(config->overrides.at("DL3000"), Severity::kWarning);
  EXPECT_EQ(config->overrides.at("DL3002"), Severity::kStyle);
  EXPECT_EQ(config->failure_threshold, Severity::kWarning);
  EXPECT_EQ(config->label_schema.at("version"), LabelType::kSemver);
  EXPECT_EQ(config->label_schema.at("source"), LabelType::kUrl);
  EXPECT_TRUE(config->strict_labels);
  EXPECT_TRUE(config->disable_ignore_pragma);
  EXPECT_TRUE(config->no_fail);
  EXPECT_TRUE(config->no_color);
  EXPECT_EQ(config->format, "checkstyle");
}

TEST(LintConfigFileTest, BadValuesAreErrorsAtTheirPlace) {
  struct Case {
    const char* yaml;
    const char* error;
  };
  for (const Case& c : {
           Case{"strict-labels: maybe\n",
                ".hadolint.yaml:1:16: strict-labels: expected true or false"},
           Case{"label-schema:\n  version: semver\n  author: person\n",
                ".hadolint.yaml:3:11: label-schema author: expected text, url"},
           Case{"failure-threshold: high\n",
                ".hadolint.yaml:1:20: failure-threshold: expected error"},
           Case{"ignored: [DL3006\n", ".hadolint.yaml:2:1: reading lint configuration"},
           Case{"override: {fatal: [DL3000]}\n",
                ".hadolint.yaml:1:12: override: unknown key \"fatal\""},
       }) {
    auto config = ParseLintConfig(c.yaml, ".hadolint.yaml");
    ASSERT_FALSE(config) << c.yaml;
    EXPECT_THAT(config.error().ToString(), HasSubstr(c.error)) << c.yaml;
    EXPECT_EQ(config.error().ExitCode(), 2);
  }
}

TEST(LintConfigEnvironmentTest, VariablesAddToListsAndReplaceScalars) {
  LintConfig config;
  config.ignored = {"DL3006"};
  config.failure_threshold = Severity::kError;
  auto status =
      ApplyLintEnvironment(Env({{"HADOLINT_IGNORE", "DL3007, DL3008"},
                                {"HADOLINT_TRUSTED_REGISTRIES", "docker.io,ghcr.io"},
                                {"HADOLINT_OVERRIDE_ERROR", "DL3002"},
                                {"HADOLINT_OVERRIDE_INFO", "DL3000"},
                                {"HADOLINT_REQUIRE_LABELS", "version:semver,maintainer:email"},
                                {"HADOLINT_FAILURE_THRESHOLD", "info"},
                                {"HADOLINT_STRICT_LABELS", "true"},
                                {"HADOLINT_DISABLE_IGNORE_PRAGMA", "1"},
                                {"HADOLINT_NOFAIL", "yes"},
                                {"HADOLINT_FORMAT", "gnu"},
                                {"NO_COLOR", "1"}}),
                           &config);
  ASSERT_TRUE(status) << status.error().ToString();
  EXPECT_EQ(config.ignored, (std::set<std::string>{"DL3006", "DL3007", "DL3008"}));
  EXPECT_EQ(config.trusted_registries, (std::vector<std::string>{"docker.io", "ghcr.io"}));
  EXPECT_EQ(config.overrides.at("DL3002"), Severity::kError);
  EXPECT_EQ(config.overrides.at("DL3000"), Severity::kInfo);
  EXPECT_EQ(config.label_schema.at("maintainer"), LabelType::kEmail);
  EXPECT_EQ(config.failure_threshold, Severity::kInfo);
  EXPECT_TRUE(config.strict_labels && config.disable_ignore_pragma && config.no_fail &&
              config.no_color);
  EXPECT_EQ(config.format, "gnu");

  auto bad = ApplyLintEnvironment(Env({{"HADOLINT_REQUIRE_LABELS", "version"}}), &config);
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().ToString(), HasSubstr("HADOLINT_REQUIRE_LABELS"));
  EXPECT_FALSE(ApplyLintEnvironment(Env({{"HADOLINT_NOFAIL", "perhaps"}}), &config));
  EXPECT_FALSE(ApplyLintEnvironment(Env({{"HADOLINT_FAILURE_THRESHOLD", "fatal"}}), &config));
}

TEST(LintConfigBehaviourTest, DisableIgnorePragmaAndNoFail) {
  const std::string text =
      "# hadolint ignore=DL3000\nFROM debian:12\n# hadolint ignore=DL3000\nWORKDIR app\n";
  LintOptions options;
  options.config = LintConfig{};
  auto honoured = LintDockerfileText(text, "Dockerfile", options);
  ASSERT_TRUE(honoured);
  EXPECT_TRUE(honoured->findings.empty());
  EXPECT_FALSE(honoured->failed);

  options.config->disable_ignore_pragma = true;
  auto disabled = LintDockerfileText(text, "Dockerfile", options);
  ASSERT_TRUE(disabled);
  ASSERT_EQ(disabled->findings.size(), 1u);
  EXPECT_EQ(disabled->findings[0].aliases[0], "DL3000");
  EXPECT_TRUE(disabled->failed);

  options.config->no_fail = true;
  auto no_fail = LintDockerfileText(text, "Dockerfile", options);
  ASSERT_TRUE(no_fail);
  EXPECT_EQ(no_fail->findings.size(), 1u);
  EXPECT_FALSE(no_fail->failed);
}

TEST(LintConfigBehaviourTest, ConfigFileOptionAndAmendmentsWin) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile", "FROM debian\nWORKDIR app\n");
  testing::WriteTestFile(dir / ".hadolint.yaml", "ignored: [DL3006, DL3000]\n");
  testing::WriteTestFile(dir / "other.yaml", "ignored: [DL3000]\n");
  LintOptions options;
  options.config_file = dir / "other.yaml";
  auto result = LintFiles({dir / "Dockerfile"}, options);
  ASSERT_TRUE(result) << result.error().ToString();
  ASSERT_EQ(result->findings.size(), 1u);
  EXPECT_EQ(result->findings[0].aliases[0], "DL3006");
  options.amend_config = [](LintConfig& c) { c.overrides["DL3006"] = Severity::kStyle; };
  result = LintFiles({dir / "Dockerfile"}, options);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->findings[0].severity, Severity::kStyle);
  EXPECT_FALSE(result->failed);

  options.config_file = dir / "missing.yaml";
  auto missing = LintFiles({dir / "Dockerfile"}, options);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().ExitCode(), 2);
}

TEST(PragmaTest, ShellPragmaAndIgnoreParsing) {
  EXPECT_EQ(ParseShellPragma("# hadolint shell=powershell"), "powershell");
  EXPECT_EQ(ParseShellPragma("#hadolint shell = /bin/bash  because"), "/bin/bash");
  EXPECT_EQ(ParseShellPragma("# hadolint ignore=DL3000"), "");
  EXPECT_EQ(ParseShellPragma("# shell=bash"), "");
  auto view =
      ViewDockerfile("FROM debian:12\n# hadolint shell=bash\nRUN a\n  # plinth shell=zsh\nRUN b\n",
                     "Dockerfile", ViewOptions{});
  ASSERT_TRUE(view);
  EXPECT_EQ(ShellPragmaAt(*view, 1), "");
  EXPECT_EQ(ShellPragmaAt(*view, 3), "bash");
  EXPECT_EQ(ShellPragmaAt(*view, 5), "zsh");

  std::set<std::string> names;
  bool global = false;
  EXPECT_TRUE(ParseIgnorePragma("# hadolint global ignore=DL3006,SC2086", &names, &global));
  EXPECT_TRUE(global);
  EXPECT_EQ(names, (std::set<std::string>{"DL3006", "SC2086"}));
}

}  // namespace
}  // namespace plinth::lint
