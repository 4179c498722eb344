// Printing vulnerability findings (text lines with a count, JSON lines) and the --fail-on
// threshold; advisory text is untrusted, so terminal escapes and invalid UTF-8 must not pass.
#include "audit/vuln_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace plinth::audit {
namespace {

std::vector<VulnFinding> Findings() {
  VulnFinding ssl;
  ssl.advisory = "DSA-5801-1";
  ssl.aliases = {"CVE-2026-0001", "CVE-2026-0002"};
  ssl.package = "libssl3";
  ssl.architecture = "amd64";
  ssl.source = "openssl";
  ssl.installed_version = "3.0.14-1~deb12u2";
  ssl.fixed_version = "3.0.15-1~deb12u1";
  ssl.ecosystem = "Debian:12";
  ssl.severity = VulnSeverity::kHigh;
  ssl.severity_origin = "CVSS:3.1 7.5";
  ssl.summary = "openssl: security update";
  VulnFinding tz;
  tz.advisory = "DEBIAN-CVE-2026-3";
  tz.package = "tzdata";
  tz.architecture = "all";
  tz.source = "tzdata";
  tz.installed_version = "2024a-0+deb12u1";
  tz.ecosystem = "Debian:12";
  tz.severity = VulnSeverity::kUnknown;
  return {ssl, tz};
}

TEST(VulnReportTest, TextIsOneLinePerFindingAndACount) {
  EXPECT_EQ(FormatVulnText(Findings()),
            "high DSA-5801-1 libssl3 3.0.14-1~deb12u2 -> 3.0.15-1~deb12u1 (source openssl; "
            "CVE-2026-0001, CVE-2026-0002): openssl: security update\n"
            "unknown DEBIAN-CVE-2026-3 tzdata 2024a-0+deb12u1 -> none\n"
            "2 vulnerabilities: 1 high, 1 unknown\n");
  EXPECT_EQ(FormatVulnText({}), "0 vulnerabilities\n");
}

TEST(VulnReportTest, JsonLinesHoldEveryField) {
  std::istringstream lines(FormatVulnJsonLines(Findings()));
  std::string line;
  std::vector<nlohmann::json> docs;
  while (std::getline(lines, line)) docs.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0]["advisory"], "DSA-5801-1");
  EXPECT_EQ(docs[0]["aliases"], nlohmann::json({"CVE-2026-0001", "CVE-2026-0002"}));
  EXPECT_EQ(docs[0]["package"], "libssl3");
  EXPECT_EQ(docs[0]["architecture"], "amd64");
  EXPECT_EQ(docs[0]["source"], "openssl");
  EXPECT_EQ(docs[0]["installed_version"], "3.0.14-1~deb12u2");
  EXPECT_EQ(docs[0]["fixed_version"], "3.0.15-1~deb12u1");
  EXPECT_EQ(docs[0]["ecosystem"], "Debian:12");
  EXPECT_EQ(docs[0]["severity"], "high");
  EXPECT_EQ(docs[0]["severity_origin"], "CVSS:3.1 7.5");
  EXPECT_EQ(docs[0]["summary"], "openssl: security update");
  EXPECT_TRUE(docs[1]["fixed_version"].is_null());
  EXPECT_EQ(docs[1]["severity"], "unknown");
}

TEST(VulnReportTest, HostileAdvisoryTextIsNeutralised) {
  std::vector<VulnFinding> findings = Findings();
  findings[0].summary = "evil\x1b]0;pwned\x07\nsecond line\xff";
  std::string text = FormatVulnText(findings);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_NE(text.find("evil?]0;pwned??second line"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  std::string json = FormatVulnJsonLines(findings);  // invalid UTF-8 must not throw
  EXPECT_EQ(std::count(json.begin(), json.end(), '\n'), 2);
  auto first = nlohmann::json::parse(json.substr(0, json.find('\n')), nullptr, false);
  ASSERT_FALSE(first.is_discarded());
  EXPECT_EQ(first["summary"].get<std::string>().substr(0, 4), "evil");
}

TEST(VulnReportTest, ThresholdCountsFindingsAtOrAboveIt) {
  std::vector<VulnFinding> findings = Findings();  // high and unknown
  EXPECT_TRUE(ReachesThreshold(findings, VulnSeverity::kUnknown));
  EXPECT_TRUE(ReachesThreshold(findings, VulnSeverity::kLow));
  EXPECT_TRUE(ReachesThreshold(findings, VulnSeverity::kHigh));
  EXPECT_FALSE(ReachesThreshold(findings, VulnSeverity::kCritical));
  EXPECT_FALSE(ReachesThreshold({findings[1]}, VulnSeverity::kLow)) << "unknown ranks lowest";
  EXPECT_FALSE(ReachesThreshold({}, VulnSeverity::kUnknown));
}

}  // namespace
}  // namespace plinth::audit
