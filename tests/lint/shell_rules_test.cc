// The shell rules, family by family: for each rule a Dockerfile it reports (with the lines, one
// finding per RUN as hadolint) and one it passes, taken from hadolint's documented behaviour,
// quirks included; then what reading RUNs through the shell parse changes (subshells,
// substitutions, heredoc RUNs, ONBUILD, SHELL).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lint/linter.h"
#include "lint/rule.h"

namespace plinth::lint {
namespace {

using ::testing::HasSubstr;

std::vector<Finding> Lint(const std::string& text) {
  LintOptions options;
  options.config = LintConfig{};
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

std::vector<int> LinesOf(const std::string& dockerfile, const std::string& alias) {
  return LinesOf(Lint(dockerfile), alias);
}

struct RuleCase {
  const char* name;
  std::string alias;
  std::string bad;
  std::vector<int> lines;  // where `bad` is reported
  std::string good;
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

class ShellRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(ShellRuleTest, ReportsTheBadAndPassesTheGood) {
  const RuleCase& c = GetParam();
  EXPECT_EQ(LinesOf(c.bad, c.alias), c.lines) << c.bad;
  EXPECT_EQ(LinesOf(c.good, c.alias), std::vector<int>{}) << c.good;
}

const std::string F = "FROM debian:12\n";

INSTANTIATE_TEST_SUITE_P(
    Apt, ShellRuleTest,
    ::testing::Values(
        RuleCase{
            "DL3008",
            "DL3008",
            F + "RUN apt-get update && apt-get install -y curl wget=1.21\nRUN apt-get install -y "
                "\\\n  git\n",
            {2, 3},
            F + "RUN apt-get install -y curl=7.88.1 ./local.deb curl/bookworm-backports\n"
                "RUN apt-get install -y -t bookworm-backports git=1:2.39\nRUN apt-get update\n"},
        // hadolint drops the word after -t even when the value is attached (--target-release=x).
        RuleCase{"DL3008TargetQuirk",
                 "DL3008",
                 F + "RUN apt-get install -y -t bookworm curl\n",
                 {2},
                 F + "RUN apt-get install -y --target-release=bookworm curl\n"},
        RuleCase{
            "DL3009",
            "DL3009",
            F + "RUN apt-get update && apt-get install -y curl=1\n",
            {2},
            F + "RUN apt-get update && apt-get install -y curl=1 && rm -rf /var/lib/apt/lists/*\n"
                "RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n"
                "RUN --mount=type=cache,target=/var/lib/apt "
                "--mount=type=cache,target=/var/cache/apt "
                "apt-get update\n"},
        // Only stages that ship: the last one, or one a later stage is built on.
        RuleCase{
            "DL3009Stages",
            "DL3009",
            "FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN true\n",
            {2},
            "FROM debian:12 AS build\nRUN apt-get update\nFROM scratch\nCOPY --from=build /a /a\n"},
        RuleCase{"DL3014",
                 "DL3014",
                 // -q alone is not enough: quiet level 2 (-qq, -q -q, -q=2) implies -y.
                 F + "RUN apt-get install curl=1\nRUN apt-get install -q curl=1\n"
                     "RUN apt-get --quiet install curl=1\n",
                 {2, 3, 4},
                 F + "RUN apt-get install -y curl=1\nRUN apt-get -qq install curl=1\n"
                     "RUN apt-get -q -q install curl=1\nRUN apt-get -q=2 install curl=1\n"
                     "RUN apt-get --quiet --quiet install curl=1\n"
                     "RUN apt-get install --assume-yes curl=1\nRUN apt-get install --yes curl=1\n"},
        RuleCase{"DL3015",
                 "DL3015",
                 F + "RUN apt-get install -y curl=1\n",
                 {2},
                 F + "RUN apt-get install -y --no-install-recommends curl=1\n"
                     "RUN apt-get install -y -o APT::Install-Recommends=false curl=1\n"},
        RuleCase{"DL3027",
                 "DL3027",
                 F + "RUN apt install -y curl\n",
                 {2},
                 F + "RUN apt-get install -y curl=1\nRUN apt-cache policy curl && echo apt\n"}),
    [](const auto& info) { return std::string(info.param.name); });

INSTANTIATE_TEST_SUITE_P(
    Apk, ShellRuleTest,
    ::testing::Values(
        RuleCase{"DL3018",
                 "DL3018",
                 "FROM alpine:3.20\nRUN apk add --no-cache curl bash=5.2\n",
                 {2},
                 "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 bash~5.2 ./local.apk\n"
                 "RUN apk add --no-cache --virtual .build-deps gcc=13.2\n"
                 "RUN apk add --no-cache -t deps -X https://repo gcc=13.2\n"},
        RuleCase{"DL3019",
                 "DL3019",
                 "FROM alpine:3.20\nRUN apk update && apk add curl=8.9.1-r0\n",
                 {2},
                 "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\nRUN apk update\n"
                 "RUN --mount=type=cache,target=/var/cache/apk apk add -U curl=8.9.1-r0\n"},
        RuleCase{"DL3019CacheMountElsewhere",
                 "DL3019",
                 "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/x apk add curl=8.9\n",
                 {2},
                 "FROM alpine:3.20\nRUN --mount=type=cache,target=/x apk add --no-cache curl=8\n"}),
    [](const auto& info) { return std::string(info.param.name); });

const std::string R = "FROM rockylinux:9\n";
const std::string Z = "FROM opensuse/leap:15.6\n";

INSTANTIATE_TEST_SUITE_P(
    Rpm, ShellRuleTest,
    ::testing::Values(
        RuleCase{"DL3030",
                 "DL3030",
                 R + "RUN yum install httpd-2.4.57 && yum clean all\n",
                 {2},
                 R + "RUN yum install -y httpd-2.4.57 && yum clean all\n"
                     "RUN yum groupinstall --assumeyes tools-1 && yum clean all\n"
                     "RUN bash -c `# not even a yum command`\n"},
        RuleCase{"DL3032",
                 "DL3032",
                 R + "RUN yum install -y httpd-2.4.57\n",
                 {2},
                 R + "RUN yum install -y httpd-2.4.57 && yum clean all\nRUN yum makecache\n"
                     "RUN yum install -y httpd-2.4.57 && rm -rf /var/cache/yum/*\n"},
        RuleCase{"DL3033",
                 "DL3033",
                 R + "RUN yum install -y httpd && yum clean all\n"
                     "RUN yum module install -y nodejs && yum clean all\n",
                 {2, 3},
                 R + "RUN yum install -y httpd-2.4.57 ./local.rpm && yum clean all\n"
                     "RUN yum module install -y nodejs:18 && yum clean all\n"},
        RuleCase{"DL3038",
                 "DL3038",
                 R + "RUN dnf install httpd-2.4.57 && dnf clean all\n"
                     "RUN microdnf install httpd-2.4.57 && microdnf clean all\n",
                 {2, 3},
                 R + "RUN dnf install -y httpd-2.4.57 && dnf clean all\n"
                     "RUN microdnf --assumeyes install httpd-2.4.57 && microdnf clean all\n"},
        RuleCase{"DL3040",
                 "DL3040",
                 R + "RUN dnf install -y httpd-2.4.57\n"
                     "RUN dnf clean all && dnf install -y httpd-2.4.57\n"
                     "RUN microdnf install -y httpd-2.4.57 && dnf clean all\n",
                 {2, 3, 4},
                 R + "RUN dnf install -y httpd-2.4.57 && dnf clean all\n"
                     "RUN microdnf install -y httpd-2.4.57 && microdnf clean all\n"
                     "RUN dnf install -y httpd-2.4.57 && rm -rf /var/cache/yum/*\n"},
        // A dash alone is no version: the part after it must look like one (start with a digit).
        RuleCase{"DL3041",
                 "DL3041",
                 R + "RUN dnf install -y httpd && dnf clean all\n"
                     "RUN dnf install -y python3-pip && dnf clean all\n"
                     "RUN dnf module install -y nodejs && dnf clean all\n",
                 {2, 3, 4},
                 R + "RUN dnf install -y httpd-2.4.57 python3-pip-21.3.1-2.el9 ./tool-1_x.rpm && "
                     "dnf clean all\n"
                     "RUN dnf module install -y nodejs:18 && dnf clean all\n"
                     "RUN dnf group install -y Tools && dnf clean all\n"},
        RuleCase{"DL3034",
                 "DL3034",
                 Z + "RUN zypper install curl=8.6.0 && zypper clean\n"
                     "RUN zypper si curl && zypper clean\n",
                 {2, 3},
                 Z + "RUN zypper install -y curl=8.6.0 && zypper clean\n"
                     "RUN zypper -n install curl=8.6.0 && zypper clean\n"
                     "RUN zypper --non-interactive in curl=8.6.0 && zypper clean\n"
                     "RUN zypper rm --no-confirm vim\nRUN zypper refresh\n"},
        RuleCase{"DL3035",
                 "DL3035",
                 Z + "RUN zypper dup -y\nRUN zypper dist-upgrade -y\n",
                 {2, 3},
                 Z + "RUN zypper update -y\n"},
        RuleCase{"DL3036",
                 "DL3036",
                 Z + "RUN zypper install -y curl=8.6.0\n"
                     "RUN zypper clean && zypper install -y curl=8.6.0\n",
                 {2, 3},
                 Z + "RUN zypper in -y curl=8.6.0 && zypper cc\n"},
        RuleCase{
            "DL3037",
            "DL3037",
            Z + "RUN zypper install -y curl && zypper clean\n",
            {2},
            Z + "RUN zypper install -y curl=8.6.0 'vim>=9' 'git<3' ./x.rpm && zypper clean\n"
                "RUN zypper install -y tomcat\\>=9.0 tomcat\\<9.1 && zypper clean\n"}),
    [](const auto& info) { return std::string(info.param.name); });

const std::string P = "FROM python:3.12\n";

INSTANTIATE_TEST_SUITE_P(
    Languages, ShellRuleTest,
    ::testing::Values(
        RuleCase{
            "DL3013",
            "DL3013",
            P + "RUN pip install --no-cache-dir requests\n"
                "RUN python3 -m pip install --no-cache-dir flask==3.0 click\n",
            {2, 3},
            P + "RUN pip install --no-cache-dir requests==2.32.3 'flask>=3' ./dist/app.whl "
                "pkg.tar.gz\n"
                "RUN pip install --no-cache-dir -r requirements.txt\nRUN pip install "
                "--no-cache-dir .\n"
                "RUN pip install --no-cache-dir git+https://github.com/x/y@v1.0 ./local/dir\n"
                "RUN pip install --no-cache-dir -c constraints.txt requests\n"
                "RUN pip install --no-cache-dir --index-url https://pypi.example requests==2\n"},
        RuleCase{"DL3042",
                 "DL3042",
                 P + "RUN pip install requests==2.32.3\n"
                     "RUN python -m pip install flask==3.0\n",
                 {2, 3},
                 P + "RUN pip install --no-cache-dir requests==2.32.3\n"
                     "RUN PIP_NO_CACHE_DIR=1 pip install flask==3.0\n"
                     "RUN pipx install black==24.1\nRUN pipenv install\n"},
        // ENV PIP_NO_CACHE_DIR (truthy) holds for the rest of the stage and the stages built on it.
        RuleCase{"DL3042Env",
                 "DL3042",
                 P + "ENV PIP_NO_CACHE_DIR=0\nRUN pip install requests==2.32.3\n",
                 {3},
                 "FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=true\nFROM base\n"
                 "RUN pip install requests==2.32.3\n"
                 // hadolint never unsets it: a later falsy value does not bring the rule back.
                 "ENV PIP_NO_CACHE_DIR=0\nRUN pip install flask==3.0\n"},
        RuleCase{"DL3016",
                 "DL3016",
                 "FROM node:22\nRUN npm install express\nRUN npm install -g @angular/cli\n",
                 {2, 3},
                 "FROM node:22\nRUN npm install\nRUN npm ci\nRUN npm install express@4.19.2 "
                 "@angular/cli@18 "
                 "git+https://github.com/x/y#abc123 ./local ../pkg.tgz\n"
                 "RUN npm install --loglevel verbose sax@0.1.1\nRUN npm run --x install\n"},
        RuleCase{"DL3028",
                 "DL3028",
                 "FROM ruby:3.3\nRUN gem install rake bundler:2.5\nRUN gem i bundler:1 nokogiri\n",
                 {2, 3},
                 "FROM ruby:3.3\nRUN gem install rake:13.2.1\nRUN gem install rake -v 13.2.1\n"
                 "RUN gem install rake --version=13.2.1\nRUN gem update --system\n"
                 // What follows an option configures the build, not a gem.
                 "RUN gem install nokogiri:1.16 --use-system-libraries true\n"
                 "RUN gem install nokogiri:1.16 -- --use-system-libraries=true\n"},
        RuleCase{"DL3060",
                 "DL3060",
                 "FROM node:22\nRUN yarn install\n",
                 {2},
                 "FROM node:22\nRUN yarn install --frozen-lockfile && yarn cache clean\nRUN yarn "
                 "build\n"},
        // Like DL3009, only in stages that ship: the last, or one a later stage builds on.
        RuleCase{
            "DL3060Stages",
            "DL3060",
            "FROM node:22 AS deps\nRUN yarn install\nFROM deps\nRUN true\n",
            {2},
            "FROM node:22 AS build\nRUN yarn install\nFROM scratch\nCOPY --from=build /a /a\n"}),
    [](const auto& info) { return std::string(info.param.name); });

INSTANTIATE_TEST_SUITE_P(
    Misc, ShellRuleTest,
    ::testing::Values(
        RuleCase{"DL3001",
                 "DL3001",
                 F + "RUN service nginx start\nRUN ps aux | grep x\nRUN ssh host true\n",
                 {2, 3, 4},
                 F + "RUN echo service ps && grep -r kill /etc\n"},
        RuleCase{"DL3003",
                 "DL3003",
                 F + "RUN cd /app && make\nRUN (cd /src; make)\n",
                 {2, 3},
                 F + "WORKDIR /app\nRUN make -C /src && echo cd\n"},
        RuleCase{"DL3004",
                 "DL3004",
                 F + "RUN sudo apt-get update\nRUN x=$(sudo id -u)\n",
                 {2, 3},
                 F + "RUN gosu app true && echo sudo\n"},
        RuleCase{
            "DL3046",
            "DL3046",
            F + "RUN useradd -u 123456 app\nRUN useradd --uid 1000 x && useradd -u 1234567 y\n",
            {2, 3},
            F + "RUN useradd -l -u 123456 app\nRUN useradd --no-log-init -u 123456 b\nRUN useradd "
                "-u 10000 c\n"
                "RUN useradd app\n"},
        // -O (capital) names the output document, not the log: hadolint still asks for progress.
        RuleCase{"DL3047",
                 "DL3047",
                 F + "RUN wget https://x/a.tgz\nRUN wget -O a.tgz https://x/a.tgz\n",
                 {2, 3},
                 F + "RUN wget --progress=dot:giga https://x/a\nRUN wget -q https://x/a\n"
                     "RUN wget -nv https://x/a\nRUN wget --no-verbose https://x/a\nRUN wget -o log "
                     "https://x/a\n"},
        RuleCase{"DL4001",
                 "DL4001",
                 F + "RUN curl -o a https://x/a\nRUN wget -q https://x/b\nRUN echo\nRUN curl -o c "
                     "https://x/c\n",
                 {3, 5},
                 F + "RUN curl -o a https://x/a\nFROM debian:12\nRUN wget -q https://x/b\n"},
        RuleCase{"DL4005",
                 "DL4005",
                 F + "RUN ln -sf /bin/bash /bin/sh\n",
                 {2},
                 F + "SHELL [\"/bin/bash\", \"-c\"]\nRUN ln -s /usr/bin/python3 /usr/bin/python\n"},
        RuleCase{
            "DL4006",
            "DL4006",
            F + "RUN curl -s https://x | tar x\nSHELL [\"/bin/bash\", \"-c\"]\nRUN a | b\n"
                "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM debian:12\nRUN echo "
                "\"$(a | b)\"\n",
            {2, 4, 7},
            F + "SHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN curl -s https://x | tar "
                "x\n"
                "RUN a || b\nRUN echo 'a|b'\nRUN [\"sh\", \"-c\", \"a | b\"]\n"
                "FROM debian:12\nSHELL [\"/bin/ash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n"
                "FROM debian:12\nSHELL [\"pwsh\", \"-c\"]\nRUN a | b\n"},
        // Consecutive RUNs of at most two commands each with the same flags; another
        // instruction (not a comment) splits them.
        RuleCase{"DL3059",
                 "DL3059",
                 F + "RUN a\nRUN b && c\n# a comment\nRUN d\nENV X=1\nRUN e\nRUN f\n",
                 {3, 5, 8},
                 F + "RUN a\nENV X=1\nRUN b\nRUN c && d && e\nRUN f\nRUN "
                     "--mount=type=cache,target=/c g\n"
                     "RUN h && i && j\nRUN k\n"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ShellRulesTest, RunsAreReadThroughTheShellParse) {
  // Subshells, groups, substitutions, control structures, continuation lines.
  EXPECT_EQ(
      LinesOf(F + "RUN (apt-get install -y --no-install-recommends curl)\n"
                  "RUN { apt-get install -y --no-install-recommends git; }\n"
                  "RUN if true; then apt-get install -y --no-install-recommends vim; fi\n"
                  "RUN apt-get install -y --no-install-recommends \\\n    $(cat list) \\\n    jq\n"
                  "RUN echo 'apt-get install -y x' && echo \"apt-get install -y y\"\n",
              "DL3008"),
      (std::vector<int>{2, 3, 4, 5}));
  // hadolint's command name is the first word: `sudo apt-get …` is sudo's (DL3004), not apt-get's.
  EXPECT_EQ(LinesOf(F + "RUN sudo apt-get install curl\n", "DL3008"), std::vector<int>{});
  // A script that does not parse has no commands, as in hadolint.
  EXPECT_EQ(LinesOf(F + "RUN apt-get install 'curl\n", "DL3008"), std::vector<int>{});
}

TEST(ShellRulesTest, HeredocRunsAreLinted) {  // beyond hadolint, which cannot parse them
  auto findings =
      Lint(F +
           "RUN <<EOF\nset -e\ncd /app\napt-get update\napt-get install curl | tee log\nEOF\n"
           "RUN cat <<EOF > /etc/motd\nsudo cd /\nEOF\n");
  EXPECT_EQ(LinesOf(findings, "DL3003"), std::vector<int>{2});
  EXPECT_EQ(LinesOf(findings, "DL3008"), std::vector<int>{2});
  EXPECT_EQ(LinesOf(findings, "DL3014"), std::vector<int>{2});
  EXPECT_EQ(LinesOf(findings, "DL3009"), std::vector<int>{2});
  EXPECT_EQ(LinesOf(findings, "DL4006"), std::vector<int>{2});
  EXPECT_EQ(LinesOf(findings, "DL3004"), std::vector<int>{});  // the motd is data
}

// hadolint checks ONBUILD RUN with every per-RUN rule but DL3003 and DL3046; DL3009 and
// DL3060 report it in any stage (the trigger runs in a later image); DL4001 counts ONBUILD RUNs
// apart; DL3059 and DL4006 leave them alone.
TEST(ShellRulesTest, OnbuildRunGetsTheRulesHadolintAppliesThere) {
  auto findings = Lint(
      "FROM debian:12 AS build\n"
      "ONBUILD RUN apk add curl && pip install flask && apt-get update && apt-get install vim\n"
      "ONBUILD RUN dnf install httpd | tee\nONBUILD RUN curl -o a x && wget -q y\n"
      "ONBUILD RUN cd /x && useradd -u 1234567 a && yarn install\n"
      "FROM scratch\nCOPY --from=build /a /a\n");
  for (const char* code :
       {"DL3018", "DL3019", "DL3013", "DL3042", "DL3008", "DL3014", "DL3015", "DL3009"})
    EXPECT_EQ(LinesOf(findings, code), std::vector<int>{2}) << code;
  for (const char* code : {"DL3038", "DL3040", "DL3041"})
    EXPECT_EQ(LinesOf(findings, code), std::vector<int>{3}) << code;
  EXPECT_EQ(LinesOf(findings, "DL4001"), std::vector<int>{4});
  EXPECT_EQ(LinesOf(findings, "DL3060"), std::vector<int>{5});
  for (const char* code : {"DL3003", "DL3046", "DL3059", "DL4006"})
    EXPECT_EQ(LinesOf(findings, code), std::vector<int>{}) << code;
}

// hadolint reads RUN as a shell script whatever the SHELL; a non-POSIX one (PowerShell, cmd,
// also by path) only silences the pipefail rule (and ShellCheck).
TEST(ShellRulesTest, NonPosixShellSilencesOnlyPipefail) {
  auto findings = Lint(
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
      "SHELL [\"powershell\", \"-Command\"]\nRUN cd C:\\ ; wget x | Out-Null\n"
      "SHELL [\"C:\\\\Windows\\\\System32\\\\cmd.exe\", \"/S\", \"/C\"]\nRUN a | b\n"
      "FROM debian:12\nRUN cd /app | tee\n");
  EXPECT_EQ(LinesOf(findings, "DL3003"), (std::vector<int>{3, 7}));
  EXPECT_EQ(LinesOf(findings, "DL3047"), std::vector<int>{3});
  EXPECT_EQ(LinesOf(findings, "DL4006"), std::vector<int>{7});
}

TEST(ShellRulesTest, SuppressedLikeAnyRule) {
  EXPECT_EQ(LinesOf(F + "# hadolint ignore=DL3003\nRUN cd /x\n# plinth ignore=cd-in-run\nRUN cd "
                        "/y\nRUN cd /z\n",
                    "DL3003"),
            std::vector<int>{6});
}

TEST(ShellRulesTest, OneFindingPerRunNamingEveryUnpinnedPackage) {
  auto findings = Lint(
      F +
      "RUN apt-get install -y --no-install-recommends curl wget git=1 && apt-get install -y vim\n");
  std::vector<const Finding*> dl3008;
  for (const auto& f : findings)
    if (f.code == "PL233") dl3008.push_back(&f);
  ASSERT_EQ(dl3008.size(), 1u);  // hadolint reports the RUN once
  EXPECT_THAT(dl3008[0]->message, HasSubstr("curl, wget, vim"));
  EXPECT_EQ(dl3008[0]->severity, Severity::kWarning);
  EXPECT_EQ(dl3008[0]->aliases, (std::vector<std::string>{"DL3008", "apt-unpinned"}));
}

TEST(ShellRulesTest, SeveritiesAreHadolintDefaults) {
  const std::map<std::string, Severity> want = {
      {"DL3001", Severity::kInfo},    {"DL3003", Severity::kWarning},
      {"DL3004", Severity::kError},   {"DL3008", Severity::kWarning},
      {"DL3009", Severity::kInfo},    {"DL3013", Severity::kWarning},
      {"DL3014", Severity::kWarning}, {"DL3015", Severity::kInfo},
      {"DL3016", Severity::kWarning}, {"DL3018", Severity::kWarning},
      {"DL3019", Severity::kInfo},    {"DL3027", Severity::kWarning},
      {"DL3028", Severity::kWarning}, {"DL3030", Severity::kWarning},
      {"DL3032", Severity::kWarning}, {"DL3033", Severity::kWarning},
      {"DL3034", Severity::kWarning}, {"DL3035", Severity::kWarning},
      {"DL3036", Severity::kWarning}, {"DL3037", Severity::kWarning},
      {"DL3038", Severity::kWarning}, {"DL3040", Severity::kWarning},
      {"DL3041", Severity::kWarning}, {"DL3042", Severity::kWarning},
      {"DL3046", Severity::kWarning}, {"DL3047", Severity::kInfo},
      {"DL3059", Severity::kInfo},    {"DL3060", Severity::kInfo},
      {"DL4001", Severity::kWarning}, {"DL4005", Severity::kWarning},
      {"DL4006", Severity::kWarning}};
  for (const auto& [code, severity] : want) {
    const Rule* rule = FindRule(code);
    ASSERT_NE(rule, nullptr) << code;
    EXPECT_EQ(rule->severity, severity) << code;
    EXPECT_EQ(rule->scope, RuleScope::kGeneral) << code;
  }
}

}  // namespace
}  // namespace plinth::lint
