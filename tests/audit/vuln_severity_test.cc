// CVSS 3.x base scores against published scores of well-known vulnerabilities, the score-to-
// level bands, and the labels of Debian's tracker and GHSA.
#include "audit/vuln_severity.h"

#include <gtest/gtest.h>

namespace plinth::audit {
namespace {

double Score(const char* vector) {
  auto score = Cvss3BaseScore(vector);
  EXPECT_TRUE(score.ok()) << vector << ": " << (score ? "" : score.error().ToString());
  return score.value_or(-1);
}

TEST(VulnSeverityTest, BaseScoresMatchPublishedScores) {
  // Log4Shell (scope changed, everything high).
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"), 9.9);
  // Heartbleed's v3 rescoring.
  EXPECT_DOUBLE_EQ(Score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"), 7.5);
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"), 8.8);
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), 7.8);
  // The classic reflected XSS.
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"), 5.3);
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"), 5.9);
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"), 1.6);
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
}

TEST(VulnSeverityTest, TemporalMetricsAreIgnoredAndOrderDoesNotMatter) {
  EXPECT_DOUBLE_EQ(Score("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N/E:P/RL:O/RC:C"), 9.8);
}

TEST(VulnSeverityTest, MalformedVectorsAreErrors) {
  for (const char* bad :
       {"", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",      // A missing
        "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",  // unknown value
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "CVSS:3.1/AVN"}) {
    auto score = Cvss3BaseScore(bad);
    EXPECT_FALSE(score.ok()) << bad;
    if (!score) {
      EXPECT_EQ(score.error().kind(), ErrorKind::kInvalidInput);
    }
  }
}

TEST(VulnSeverityTest, ScoresFallInTheCvssBands) {
  EXPECT_EQ(VulnSeverityFromCvssScore(10.0), VulnSeverity::kCritical);
  EXPECT_EQ(VulnSeverityFromCvssScore(9.0), VulnSeverity::kCritical);
  EXPECT_EQ(VulnSeverityFromCvssScore(8.9), VulnSeverity::kHigh);
  EXPECT_EQ(VulnSeverityFromCvssScore(7.0), VulnSeverity::kHigh);
  EXPECT_EQ(VulnSeverityFromCvssScore(6.9), VulnSeverity::kMedium);
  EXPECT_EQ(VulnSeverityFromCvssScore(4.0), VulnSeverity::kMedium);
  EXPECT_EQ(VulnSeverityFromCvssScore(3.9), VulnSeverity::kLow);
  EXPECT_EQ(VulnSeverityFromCvssScore(0.0), VulnSeverity::kLow);
}

TEST(VulnSeverityTest, LabelsOfDebianAndGhsaMap) {
  EXPECT_EQ(VulnSeverityFromLabel("unimportant"), VulnSeverity::kLow);
  EXPECT_EQ(VulnSeverityFromLabel("low*"), VulnSeverity::kLow);
  EXPECT_EQ(VulnSeverityFromLabel("medium**"), VulnSeverity::kMedium);
  EXPECT_EQ(VulnSeverityFromLabel("MODERATE"), VulnSeverity::kMedium);
  EXPECT_EQ(VulnSeverityFromLabel("high"), VulnSeverity::kHigh);
  EXPECT_EQ(VulnSeverityFromLabel("CRITICAL"), VulnSeverity::kCritical);
  EXPECT_EQ(VulnSeverityFromLabel("not yet assigned"), VulnSeverity::kUnknown);
  EXPECT_EQ(VulnSeverityFromLabel("end-of-life"), VulnSeverity::kUnknown);
  EXPECT_EQ(VulnSeverityFromLabel(""), VulnSeverity::kUnknown);
}

TEST(VulnSeverityTest, ParseSeverityReadsWhatSeverityNameWrites) {
  for (VulnSeverity s : {VulnSeverity::kUnknown, VulnSeverity::kLow, VulnSeverity::kMedium, VulnSeverity::kHigh,
                     VulnSeverity::kCritical}) {
    auto parsed = ParseVulnSeverity(VulnSeverityName(s));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(ParseVulnSeverity("HIGH").value_or(VulnSeverity::kUnknown), VulnSeverity::kHigh);
  EXPECT_EQ(ParseVulnSeverity("moderate").value_or(VulnSeverity::kUnknown), VulnSeverity::kMedium);
  auto bad = ParseVulnSeverity("severe");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(bad.error().message().find("severe"), std::string::npos);
}

}  // namespace
}  // namespace plinth::audit
