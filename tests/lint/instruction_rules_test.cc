// hadolint's instruction and label rules (DL1001, DL3010-DL3012, DL3043, DL3044, DL3048-DL3058,
// DL3061-DL3067): a Dockerfile each reports, with the lines, and one it does not. Where hadolint
// behaves surprisingly, the case is written down here as hadolint behaves.
#include "lint/instruction_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lint/linter.h"
#include "lint/rule.h"

namespace plinth::lint {
namespace {

using ::testing::HasSubstr;

LintConfig TestConfig() {
  LintConfig config;
  // Off by default, as in hadolint; on here to be tested.
  config.overrides["DL1001"] = Severity::kInfo;
  config.overrides["DL3063"] = Severity::kInfo;
  return config;
}

std::vector<Finding> Lint(const std::string& text, const LintConfig& config) {
  LintOptions options;
  options.config = config;
  auto result = LintDockerfileText(text, "Dockerfile", options);
  EXPECT_TRUE(result) << result.error().ToString();
  return result ? result->findings : std::vector<Finding>{};
}

std::vector<int> LinesOf(const std::vector<Finding>& findings, const std::string& alias) {
  std::vector<int> lines;
  for (const auto& f : findings)
    for (const auto& a : f.aliases)
      if (a == alias) lines.push_back(f.location.line);
  return lines;
}

struct RuleCase {
  const char* name;
  std::string alias;
  std::string bad;
  std::vector<int> lines;
  std::string good;
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

class InstructionRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(InstructionRuleTest, ReportsTheBadAndPassesTheGood) {
  const RuleCase& c = GetParam();
  LintConfig config = TestConfig();
  EXPECT_EQ(LinesOf(Lint(c.bad, config), c.alias), c.lines) << c.bad;
  EXPECT_EQ(LinesOf(Lint(c.good, config), c.alias), std::vector<int>{}) << c.good;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, InstructionRuleTest,
    ::testing::Values(
        RuleCase{"DL1001",
                 "DL1001",
                 "# hadolint ignore=DL3006\nFROM debian\n  # plinth ignore=PL201\nWORKDIR app\n",
                 {1, 3},
                 // Only the inline kind: hadolint does not report a global ignore.
                 "# a comment about hadolint\n# hadolint global ignore=DL3007\nFROM debian:12\n"},
        RuleCase{"DL3010",
                 "DL3010",
                 "FROM debian:12\nCOPY app.tar.gz /tmp/\nCOPY b.zip c.tar.xz /tmp/\n"
                 "RUN tar -xzf /tmp/app.tar.gz -C /opt && unxz /tmp/c.tar.xz\n",
                 {2, 3},
                 // hadolint knows only dashed tar flags: `tar xzf` is not an extraction to it.
                 "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar xzf /tmp/app.tar.gz\n"
                 "FROM debian:12\nRUN tar -xf /tmp/app.tar.gz\n"
                 "COPY --from=0 /x.tar /x.tar\nRUN tar -xf /x.tar\n"},
        RuleCase{"DL3010ArchiveDestination",
                 "DL3010",
                 "FROM debian:12\nCOPY src /tmp/a.tgz\nRUN tar --extract -f a.tgz\n",
                 {2},
                 "FROM debian:12\nCOPY src /tmp/a.tgz\nRUN ls /tmp/a.tgz\n"},
        RuleCase{"DL3011",
                 "DL3011",
                 "FROM debian:12\nEXPOSE 80 80000\nEXPOSE 8000-70000/udp\n",
                 {2, 3},
                 "FROM debian:12\nEXPOSE 80 65535 8000-8010/tcp ${PORT}\n"},
        RuleCase{
            "DL3012",
            "DL3012",
            "FROM debian:12\nHEALTHCHECK CMD [\"a\"]\nHEALTHCHECK NONE\nHEALTHCHECK CMD [\"b\"]\n",
            {3, 4},
            "FROM debian:12\nHEALTHCHECK CMD [\"a\"]\nFROM debian:12\nHEALTHCHECK CMD [\"b\"]\n"},
        RuleCase{"DL3043",
                 "DL3043",
                 "FROM debian:12\nONBUILD FROM debian:12\nONBUILD MAINTAINER me\n",
                 {2, 3},
                 "FROM debian:12\nONBUILD RUN [\"/setup\"]\nONBUILD COPY . /src/\n"},
        RuleCase{"DL3044",
                 "DL3044",
                 "FROM debian:12\nENV A=1 B=$A\nENV C=x D=\"${C}/bin\"\n",
                 {2, 3},
                 // Defined before (ENV or ARG, any stage), self-reference, and $AB is not $A.
                 "ARG V=1\nFROM debian:12\nENV A=1\nENV A=2 B=$A\nENV V=$V W=$V\nENV "
                 "PATH=$PATH:/x\nENV X=1 Y=$XY\n"},
        RuleCase{
            "DL3048",
            "DL3048",
            "FROM debian:12\nLABEL Maintainer=me\nLABEL com.docker.x=1\nLABEL a..b=1\nLABEL "
            "trailing-=1\n",
            {2, 3, 4, 5},
            "FROM debian:12\nLABEL org.opencontainers.image.title=x maintainer=me \"version\"=1\n"},
        RuleCase{"DL3061",
                 "DL3061",
                 "LABEL a=b\nARG X\nFROM debian:12\n",
                 {1},
                 "# comment\nARG BASE=debian:12\nFROM ${BASE}\nLABEL a=b\n"},
        RuleCase{"DL3062",
                 "DL3062",
                 "FROM golang:1.22\nRUN go install example.com/tool && go build ./...\n",
                 {2},
                 "FROM golang:1.22\nRUN go install example.com/tool@v1.2.3\nRUN go install -v "
                 "example.com/b@latest\n"},
        RuleCase{"DL3063",
                 "DL3063",
                 "FROM debian:12 AS a\nFROM debian:12\nCMD [\"x\"]\n",
                 {3},
                 // One USER anywhere in the file is enough for hadolint.
                 "FROM debian:12 AS a\nUSER 1000\nFROM debian:12\nCMD [\"x\"]\n"},
        RuleCase{"DL3064",
                 "DL3064",
                 "ARG GITHUB_TOKEN\nFROM debian:12\nENV DB_PASSWORD=x\nARG version\nENV "
                 "my_secret_file=/x\n",
                 {1, 3, 5},
                 "ARG VERSION\nFROM debian:12\nENV PATH=/x HOME=/root\n"},
        RuleCase{"DL3065",
                 "DL3065",
                 "FROM --platform=$TARGETPLATFORM debian:12\nFROM --platform=${TARGETPLATFORM} "
                 "debian:12\n",
                 {1, 2},
                 "FROM --platform=$BUILDPLATFORM debian:12\nFROM debian:12\n"},
        RuleCase{"DL3066",
                 "DL3066",
                 "FROM debian:12\nUSER app\nUSER 1000:app\nUSER $UID\n",
                 {2, 4},
                 "FROM debian:12\nUSER 1000\nUSER 65532:65532\n"},
        RuleCase{"DL3067",
                 "DL3067",
                 "FROM debian:12 AS build\nFROM scratch\nCOPY --from=build / /\n",
                 {3},
                 "FROM debian:12 AS build\nFROM scratch\nCOPY --from=build /app /\nCOPY / /\n"}),
    [](const auto& info) { return std::string(info.param.name); });

LintConfig SchemaConfig() {
  LintConfig config;
  config.label_schema = {{"maintainer", LabelType::kEmail}, {"version", LabelType::kSemver},
                         {"source", LabelType::kUrl},       {"created", LabelType::kRfc3339},
                         {"license", LabelType::kSpdx},     {"revision", LabelType::kHash},
                         {"title", LabelType::kText}};
  return config;
}

const char* kAllLabels =
    "LABEL maintainer=me@example.com version=1.2.3-rc.1+build.5 source=https://example.com/x "
    "created=2024-05-01T10:00:00.5+02:00 license=\"MIT OR (Apache-2.0 WITH LLVM-exception)\" "
    "revision=0123abc title=\"any text\"\n";

TEST(LabelSchemaTest, ValidLabelsPassEveryTypeRule) {
  auto findings = Lint(std::string("FROM debian:12\n") + kAllLabels, SchemaConfig());
  EXPECT_TRUE(findings.empty()) << findings.front().message;
}

TEST(LabelSchemaTest, EachTypeReportsItsBadValue) {
  auto findings = Lint(
      "FROM debian:12\n"
      "LABEL maintainer=me version=v1 source=example.com created=yesterday license=\"Apache 2\" "
      "revision=main title=\"\"\n",
      SchemaConfig());
  std::vector<std::string> got;
  for (const auto& f : findings) got.push_back(f.aliases[0]);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"DL3051", "DL3052", "DL3053", "DL3054", "DL3055",
                                           "DL3056", "DL3058"}));
}

TEST(LabelSchemaTest, MissingLabelsAreReportedAtTheStagesFrom) {
  LintConfig config;
  config.label_schema = {{"version", LabelType::kSemver}};
  // Stage 1 is only a COPY --from source (silent); stage 3 inherits from the labelled stage 2;
  // stage 4 lacks it.
  const std::string text =
      "FROM debian:12 AS deps\n"
      "FROM debian:12 AS base\nLABEL version=1.0.0\nCOPY --from=deps /a /a\n"
      "FROM base AS app\n"
      "FROM debian:12\n";
  EXPECT_EQ(LinesOf(Lint(text, config), "DL3049"), std::vector<int>{6});
  EXPECT_EQ(Lint(text, config)[0].severity, Severity::kInfo);
  EXPECT_THAT(Lint(text, config)[0].message, HasSubstr("Label `version` is missing"));
}

TEST(LabelSchemaTest, StrictLabelsReportLabelsOutsideTheSchema) {
  LintConfig config;
  config.label_schema = {{"version", LabelType::kSemver}};
  const std::string text = "FROM debian:12\nLABEL version=1.0.0\nLABEL other=x\n";
  EXPECT_EQ(LinesOf(Lint(text, config), "DL3050"), std::vector<int>{});
  config.strict_labels = true;
  EXPECT_EQ(LinesOf(Lint(text, config), "DL3050"), std::vector<int>{3});
}

TEST(LabelSchemaTest, ValueValidators) {
  EXPECT_TRUE(IsValidLabelValue(LabelType::kSemver, "0.0.0"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kSemver, "01.0.0"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kSemver, "1.0"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kSemver, "1.0.0-"));
  EXPECT_TRUE(IsValidLabelValue(LabelType::kHash, "0123456789abcdef0123456789abcdef01234567"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kHash, "0123456789abcdef"));
  EXPECT_TRUE(IsValidLabelValue(LabelType::kRfc3339, "2024-05-01T10:00:00Z"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kRfc3339, "2024-13-01T10:00:00Z"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kRfc3339, "2024-05-01"));
  EXPECT_TRUE(IsValidLabelValue(LabelType::kSpdx, "GPL-2.0-or-later"));
  EXPECT_TRUE(IsValidLabelValue(LabelType::kSpdx, "LicenseRef-Proprietary"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kSpdx, "MIT AND"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kSpdx, "Made-Up-1.0"));
  EXPECT_TRUE(IsValidLabelValue(LabelType::kEmail, "a.b+c@mail.example.org"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kEmail, "a@b@"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kEmail, "@example.com"));
  EXPECT_TRUE(IsValidLabelValue(LabelType::kUrl, "git+ssh://git@example.com/x.git"));
  EXPECT_FALSE(IsValidLabelValue(LabelType::kUrl, "https://exa mple.com"));
}

TEST(InstructionRulesTest, DefaultSeveritiesAreHadolints) {
  const std::pair<const char*, Severity> expected[] = {
      {"DL1001", Severity::kIgnore},  {"DL3010", Severity::kInfo},
      {"DL3011", Severity::kError},   {"DL3012", Severity::kError},
      {"DL3043", Severity::kError},   {"DL3044", Severity::kError},
      {"DL3048", Severity::kStyle},   {"DL3049", Severity::kInfo},
      {"DL3050", Severity::kInfo},    {"DL3051", Severity::kWarning},
      {"DL3052", Severity::kWarning}, {"DL3053", Severity::kWarning},
      {"DL3054", Severity::kWarning}, {"DL3055", Severity::kWarning},
      {"DL3056", Severity::kWarning}, {"DL3058", Severity::kWarning},
      {"DL3061", Severity::kError},   {"DL3062", Severity::kWarning},
      {"DL3063", Severity::kIgnore},  {"DL3064", Severity::kWarning},
      {"DL3065", Severity::kWarning}, {"DL3066", Severity::kInfo},
      {"DL3067", Severity::kWarning}, {"DL3021", Severity::kError}};
  for (const auto& [code, severity] : expected) {
    const Rule* rule = FindRule(code);
    ASSERT_NE(rule, nullptr) << code;
    EXPECT_EQ(rule->severity, severity) << code;
  }
}

TEST(InstructionRulesTest, IgnoredByDefaultRulesStaySilent) {
  auto findings = Lint("# hadolint ignore=DL3006\nFROM debian\nCMD [\"x\"]\n", LintConfig{});
  EXPECT_EQ(LinesOf(findings, "DL1001"), std::vector<int>{});
  EXPECT_EQ(LinesOf(findings, "DL3063"), std::vector<int>{});
  EXPECT_EQ(LinesOf(findings, "DL3006"), std::vector<int>{});
}

TEST(InstructionRulesTest, RejectedInstructionsAreStillReported) {
  // BuildKit refuses both; PL001 says so, and hadolint's rule is reported next to it.
  auto findings = Lint("FROM debian:12\nEXPOSE 99999\nONBUILD FROM x\n", LintConfig{});
  EXPECT_EQ(LinesOf(findings, "DL3011"), std::vector<int>{2});
  EXPECT_EQ(LinesOf(findings, "DL3043"), std::vector<int>{3});
  EXPECT_EQ(LinesOf(findings, "dockerfile-syntax"), (std::vector<int>{2, 3}));
}

}  // namespace
}  // namespace plinth::lint
