// The general (hadolint) rules: every rule with a Dockerfile it reports and one it does not,
// including fragments without a FROM; suppression comments; .hadolint.yaml.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lint/linter.h"
#include "lint/rule.h"
#include "support/test_env.h"

namespace plinth::lint {
namespace {

using ::testing::HasSubstr;

std::vector<Finding> Lint(const std::string& text, const LintOptions& options = {}) {
  auto result = LintDockerfileText(text, "Dockerfile", options);
  EXPECT_TRUE(result) << result.error().ToString();
  return result ? result->findings : std::vector<Finding>{};
}

// Lines at which `alias` (a DL code) was reported.
std::vector<int> LinesOf(const std::vector<Finding>& findings, const std::string& alias) {
  std::vector<int> lines;
  for (const auto& f : findings) {
    for (const auto& a : f.aliases)
      if (a == alias) lines.push_back(f.location.line);
  }
  return lines;
}

struct RuleCase {
  const char* name;
  std::string alias;
  std::string bad;
  std::vector<int> lines;  // where `bad` is reported
  std::string good;
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

class GeneralRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(GeneralRuleTest, ReportsTheBadAndPassesTheGood) {
  const RuleCase& c = GetParam();
  LintOptions options;
  options.config = LintConfig{};
  options.config->overrides["DL3057"] = Severity::kInfo;  // ignored by default, as hadolint
  if (c.alias == "DL3026") options.config->trusted_registries = {"docker.io", "*.corp.example"};
  EXPECT_EQ(LinesOf(Lint(c.bad, options), c.alias), c.lines) << c.bad;
  EXPECT_EQ(LinesOf(Lint(c.good, options), c.alias), std::vector<int>{}) << c.good;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, GeneralRuleTest,
    ::testing::Values(
        RuleCase{"DL3000", "DL3000", "FROM debian:12\nWORKDIR app\n", {2}, "FROM debian:12\nWORKDIR /app\nWORKDIR $HOME\n"},
        RuleCase{"DL3000Fragment", "DL3000", "WORKDIR \"rel/dir\"\n", {1}, "WORKDIR \"/abs\"\nWORKDIR C:\\\\app\n"},
        RuleCase{"DL3002", "DL3002", "FROM debian:12\nUSER 65532\nUSER root:root\n", {3},
                 "FROM debian:12 AS build\nUSER root\nFROM debian:12\nUSER root\nUSER 65532\n"},
        RuleCase{"DL3002Fragment", "DL3002", "USER 0\n", {1}, "USER app\n"},
        RuleCase{"DL3006", "DL3006", "FROM debian\n", {1},
                 "FROM debian:12 AS base\nFROM base\nFROM scratch\nFROM debian@sha256:0000000000000000000000000000000000000000000000000000000000000000\nFROM ${IMAGE}\n"},
        RuleCase{"DL3007", "DL3007", "FROM debian:latest\n", {1}, "FROM debian:12\nFROM gcr.io/distroless/base-debian12:nonroot\n"},
        RuleCase{"DL3020", "DL3020", "FROM debian:12\nADD app/ /app/\n", {2},
                 "FROM debian:12\nADD rootfs.tar.gz /\nADD https://example.com/a.txt /a.txt\n"},
        RuleCase{"DL3020Fragment", "DL3020", "ADD a.txt /a.txt\n", {1}, "COPY a.txt /a.txt\n"},
        RuleCase{"DL3021", "DL3021", "FROM debian:12\nCOPY a.txt b.txt /dest\n", {2},
                 "FROM debian:12\nCOPY a.txt b.txt /dest/\nCOPY a.txt /dest\n"},
        RuleCase{"DL3022", "DL3022", "FROM debian:12 AS build\nFROM debian:12\nCOPY --from=biuld /a /a\n", {3},
                 "FROM debian:12 AS build\nFROM debian:12\nCOPY --from=build /a /a\nCOPY --from=0 /a /b\n"
                 "COPY --from=mongo:7.0 /usr/bin/mongod /usr/bin/\n"},
        RuleCase{"DL3022Fragment", "DL3022", "COPY --from=builder /a /a\n", {1}, "COPY --from=alpine:3.20 /a /a\n"},
        RuleCase{"DL3023", "DL3023", "FROM debian:12 AS app\nCOPY --from=app /a /b\n", {2},
                 "FROM debian:12 AS build\nFROM debian:12 AS app\nCOPY --from=build /a /b\n"},
        RuleCase{"DL3024", "DL3024", "FROM debian:12 AS build\nFROM debian:12 AS Build\n", {2},
                 "FROM debian:12 AS build\nFROM debian:12 AS test\n"},
        RuleCase{"DL3025", "DL3025", "FROM debian:12\nCMD python3 app.py\nENTRYPOINT /app\n", {2, 3},
                 "FROM debian:12\nCMD [\"python3\", \"app.py\"]\nENTRYPOINT [\"/app\"]\n"},
        RuleCase{"DL3026", "DL3026", "FROM evil.example.com/debian:12\n", {1},
                 "FROM debian:12\nFROM docker.io/library/redis:7\nFROM registry.corp.example/x:1\n"},
        RuleCase{"DL3029", "DL3029", "FROM --platform=linux/amd64 debian:12\n", {1},
                 "FROM --platform=$BUILDPLATFORM debian:12\nFROM --platform=${TARGETPLATFORM} debian:12\n"},
        RuleCase{"DL3045", "DL3045", "FROM debian:12\nCOPY app.py app.py\n", {2},
                 "FROM debian:12 AS base\nWORKDIR /app\nFROM base\nCOPY app.py app.py\nCOPY x /abs/\n"},
        RuleCase{"DL3045Fragment", "DL3045", "COPY . .\n", {1}, "WORKDIR /src\nCOPY . .\n"},
        RuleCase{"DL3057", "DL3057", "FROM debian:12\nCMD [\"app\"]\n", {1},
                 "FROM debian:12 AS base\nHEALTHCHECK NONE\nFROM base\nCMD [\"app\"]\n"},
        RuleCase{"DL4000", "DL4000", "FROM debian:12\nMAINTAINER me@example.com\n", {2},
                 "FROM debian:12\nLABEL org.opencontainers.image.authors=me@example.com\n"},
        RuleCase{"DL4000Fragment", "DL4000", "MAINTAINER me\n", {1}, "LABEL a=b\n"},
        RuleCase{"DL4001", "DL4001", "FROM debian:12\nRUN curl -o a https://x/a\nRUN wget https://x/b\n", {3},
                 "FROM debian:12 AS a\nRUN curl -o a https://x/a\nFROM debian:12\nRUN wget https://x/b\n"},
        RuleCase{"DL4003", "DL4003", "FROM debian:12\nCMD [\"a\"]\nCMD [\"b\"]\n", {3},
                 "FROM debian:12\nCMD [\"a\"]\nFROM debian:12\nCMD [\"b\"]\n"},
        RuleCase{"DL4004", "DL4004", "FROM debian:12\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n", {3},
                 "FROM debian:12\nENTRYPOINT [\"a\"]\nFROM debian:12\nENTRYPOINT [\"b\"]\n"},
        RuleCase{"DL4006", "DL4006", "FROM debian:12\nRUN curl -s https://x | tar x\n", {2},
                 "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -s https://x | tar x\n"
                 "RUN a || b\nRUN echo 'a|b'\nRUN [\"sh\", \"-c\", \"a | b\"]\n"},
        RuleCase{"DL4006Fragment", "DL4006", "RUN cat a | grep b\n", {1}, "RUN cat a && grep b a\n"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(GeneralRulesTest, FindingsCarryCodeAliasesAndColumns) {
  auto findings = Lint("FROM debian:12\n  WORKDIR app\n");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "PL201");
  EXPECT_EQ(findings[0].aliases, (std::vector<std::string>{"DL3000", "workdir-absolute"}));
  EXPECT_EQ(findings[0].location.line, 2);
  EXPECT_EQ(findings[0].location.column, 3);
  EXPECT_EQ(findings[0].severity, Severity::kError);
}

TEST(GeneralRulesTest, HealthcheckMissingIsIgnoredByDefault) {
  EXPECT_EQ(LinesOf(Lint("FROM debian:12\n"), "DL3057"), std::vector<int>{});
}

TEST(GeneralRulesTest, SyntaxErrorsAreFindingsNotFailures) {
  auto findings = Lint("FROM debian:12\nBOGUS x\nWORKDIR app\n");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].code, "PL001");
  EXPECT_THAT(findings[0].message, HasSubstr("unknown instruction: BOGUS"));
  EXPECT_EQ(findings[1].code, "PL201");
}

TEST(SuppressionsTest, HonoursHadolintAndPlinthComments) {
  const std::string text =
      "# hadolint global ignore=DL3007\n"
      "FROM debian:latest\n"
      "# hadolint ignore=DL3000,DL4000\n"
      "WORKDIR app\n"
      "# plinth ignore=workdir-absolute\n"
      "WORKDIR app2\n"
      "# plinth ignore=PL201\n"
      "WORKDIR app3\n"
      "# hadolint ignore=DL3006\n"
      "WORKDIR app4\n";
  EXPECT_EQ(LinesOf(Lint(text), "DL3000"), std::vector<int>{10});
  EXPECT_EQ(LinesOf(Lint(text), "DL3007"), std::vector<int>{});
}

TEST(LintConfigTest, HadolintYamlNextToTheDockerfile) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile", "FROM evil.example.com/debian\nWORKDIR app\nMAINTAINER me\n");
  auto before = LintFiles({dir / "Dockerfile"});
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->failed);
  EXPECT_EQ(before->findings.size(), 3u);  // DL3006, DL3000, DL4000

  testing::WriteTestFile(dir / ".hadolint.yaml",
                         "ignored: [DL3006]\n"
                         "trustedRegistries: [docker.io]\n"
                         "override:\n  warning: [DL3000, DL4000]\n"
                         "failure-threshold: error\n");
  auto after = LintFiles({dir / "Dockerfile"});
  ASSERT_TRUE(after) << after.error().ToString();
  std::vector<std::string> got;
  for (const auto& f : after->findings) got.push_back(f.aliases[0] + ":" + SeverityName(f.severity));
  EXPECT_EQ(got, (std::vector<std::string>{"DL3026:error", "DL3000:warning", "DL4000:warning"}));
  EXPECT_TRUE(after->failed);

  testing::WriteTestFile(dir / ".hadolint.yaml", "ignored: [DL3006, DL3026]\nfailure-threshold: style\n"
                                                 "override: {info: [DL3000, DL4000]}\n");
  auto info_only = LintFiles({dir / "Dockerfile"});
  ASSERT_TRUE(info_only);
  EXPECT_TRUE(info_only->failed);  // info reaches a `style` threshold
  testing::WriteTestFile(dir / ".hadolint.yaml", "ignored: [DL3006, DL3026]\nfailure-threshold: warning\n"
                                                 "override: {info: [DL3000, DL4000]}\n");
  EXPECT_FALSE(LintFiles({dir / "Dockerfile"})->failed);

  testing::WriteTestFile(dir / ".hadolint.yaml", "ignore: [DL3006]\n");
  auto bad = LintFiles({dir / "Dockerfile"});
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().ToString(), HasSubstr(".hadolint.yaml:1:1: .hadolint.yaml: unknown key \"ignore\"; did you mean \"ignored\"?"));
}

TEST(LintFilesTest, UnreadableInputIsAnError) {
  auto result = LintFiles({"/nonexistent/Dockerfile"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().ExitCode(), 2);
}

TEST(RuleTableTest, EveryRuleExplainsItselfAndIsFoundByAlias) {
  for (const auto& rule : Rules()) {
    EXPECT_FALSE(rule.rationale.empty()) << rule.code;
    EXPECT_FALSE(rule.bad.empty()) << rule.code;
    EXPECT_EQ(FindRule(rule.code), &rule);
    EXPECT_EQ(FindRule(rule.slug), &rule);
    if (!rule.hadolint.empty()) EXPECT_EQ(FindRule(rule.hadolint), &rule);
  }
  std::string text = ExplainRule(*FindRule("dl3006"));
  EXPECT_THAT(text, HasSubstr("PL203 (untagged-image, DL3006)"));
  EXPECT_THAT(text, HasSubstr("Reported:\n    FROM debian\n"));
  for (const char* code : {"DL3000", "DL3002", "DL3006", "DL3007", "DL3020", "DL3021", "DL3022", "DL3023",
                           "DL3024", "DL3025", "DL3026", "DL3029", "DL3045", "DL3057", "DL4000", "DL4001",
                           "DL4003", "DL4004", "DL4006"})
    EXPECT_NE(FindRule(code), nullptr) << code;
}

}  // namespace
}  // namespace plinth::lint
