// The formats CI systems consume (checkstyle, gitlab_codeclimate, gnu) and tty: what they print
// is parsed back (XML by Python's parser, JSON by nlohmann) rather than compared as text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "lint/linter.h"
#include "lint/report_format.h"
#include "util/subprocess.h"

namespace plinth::lint {
namespace {

using ::testing::HasSubstr;

std::vector<Finding> Sample() {
  auto a = LintDockerfileText("FROM debian\nWORKDIR app\nLABEL Bad=\"<&>\"\n", "a/Dockerfile");
  auto b = LintDockerfileText("FROM debian:latest\n", "b \"q\"/Dockerfile");
  EXPECT_TRUE(a && b);
  std::vector<Finding> all = a->findings;
  all.insert(all.end(), b->findings.begin(), b->findings.end());
  return all;
}

TEST(CiFormatsTest, CheckstyleIsWellFormedXmlWithOneFilePerDockerfile) {
  auto findings = Sample();
  ASSERT_EQ(findings.size(), 4u);  // DL3006, DL3000, DL3048; DL3007
  // Python's XML parser reads it back and prints file, line, source and message per error.
  auto parsed = RunProcess({"python3", "-c",
                            "import sys, xml.etree.ElementTree as E\n"
                            "root = E.fromstring(sys.stdin.read())\n"
                            "assert root.tag == 'checkstyle'\n"
                            "for f in root.findall('file'):\n"
                            "  for e in f.findall('error'):\n"
                            "    print(f.get('name'), e.get('line'), e.get('column'), "
                            "e.get('severity'), e.get('source'), e.get('message'))\n"},
                           SubprocessOptions{.stdin_data = FormatCheckstyle(findings)});
  ASSERT_TRUE(parsed);
  ASSERT_TRUE(parsed->ok()) << parsed->err;
  EXPECT_EQ(
      parsed->out,
      "a/Dockerfile 1 1 warning DL3006 Always tag the version of an image explicitly (debian)\n"
      "a/Dockerfile 2 1 error DL3000 Use absolute WORKDIR (\"app\" is relative)\n"
      "a/Dockerfile 3 1 style DL3048 Invalid label key (Bad)\n"
      "b \"q\"/Dockerfile 1 1 warning DL3007 Using latest is prone to errors if the image will "
      "ever "
      "update. Pin the version explicitly to a release tag (debian:latest)\n");
}

TEST(CiFormatsTest, GitlabCodeclimateHasStableDistinctFingerprints) {
  auto json = nlohmann::json::parse(FormatGitlabCodeclimate(Sample()));
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 4u);
  std::set<std::string> fingerprints;
  for (const auto& issue : json) {
    std::string fp = issue["fingerprint"];
    EXPECT_EQ(fp.size(), 64u);
    fingerprints.insert(fp);
    EXPECT_TRUE(issue["location"]["lines"]["begin"].is_number_integer());
  }
  EXPECT_EQ(fingerprints.size(), 4u);
  EXPECT_EQ(json[1]["check_name"], "DL3000");
  EXPECT_EQ(json[1]["severity"], "blocker");
  EXPECT_EQ(json[1]["location"]["path"], "a/Dockerfile");
  EXPECT_EQ(json[0]["severity"], "major");
  EXPECT_EQ(json[2]["severity"], "minor");
  // Same findings, same fingerprints.
  EXPECT_EQ(nlohmann::json::parse(FormatGitlabCodeclimate(Sample()))[1]["fingerprint"],
            json[1]["fingerprint"]);
}

TEST(CiFormatsTest, CodeclimateIsNulTerminatedIssues) {
  std::string out = FormatCodeclimate(Sample());
  ASSERT_FALSE(out.empty());
  ASSERT_EQ(out.back(), '\0');
  std::vector<nlohmann::json> issues;
  size_t start = 0;
  for (size_t nul = out.find('\0'); nul != std::string::npos; nul = out.find('\0', start)) {
    issues.push_back(nlohmann::json::parse(out.substr(start, nul - start)));
    start = nul + 1;
  }
  ASSERT_EQ(issues.size(), 4u);
  EXPECT_EQ(issues[1]["check_name"], "DL3000");
  EXPECT_FALSE(issues[1].contains("fingerprint"));
}

TEST(CiFormatsTest, GnuIsProgramFileLineColumn) {
  std::string gnu = FormatGnu(Sample());
  EXPECT_THAT(
      gnu,
      HasSubstr(
          "plinth:a/Dockerfile:2:1: DL3000 error: Use absolute WORKDIR (\"app\" is relative)\n"));
  EXPECT_EQ(std::count(gnu.begin(), gnu.end(), '\n'), 4);
}

TEST(CiFormatsTest, TtyColoursOnlyWhenAsked) {
  auto findings = Sample();
  std::string plain = FormatTty(findings, false);
  EXPECT_EQ(plain.find('\033'), std::string::npos);
  EXPECT_THAT(plain, HasSubstr("a/Dockerfile:2:1 DL3000 error: Use absolute WORKDIR"));
  std::string colour = FormatTty(findings, true);
  EXPECT_THAT(colour, HasSubstr("\033[1;31merror\033[0m"));
  EXPECT_THAT(colour, HasSubstr("\033[1;33mwarning\033[0m"));
}

TEST(CiFormatsTest, EveryFormatNameParses) {
  for (const char* name :
       {"text", "json", "sarif", "checkstyle", "gitlab_codeclimate", "codeclimate", "gnu", "tty"})
    EXPECT_TRUE(ParseReportFormat(name).has_value()) << name;
  EXPECT_FALSE(ParseReportFormat("codacy").has_value());
  EXPECT_EQ(ReportFormatNames(),
            "text, json, sarif, checkstyle, gitlab_codeclimate, codeclimate, gnu, tty");
}

}  // namespace
}  // namespace plinth::lint
