// Reading one OSV advisory: the Debian entries kept, ranges evaluated as the OSV schema says
// (introduced / fixed / last_affected / limit, several ranges, explicit versions), the severity
// each entry resolves to, and hostile documents refused with the file and field named.
#include "audit/osv_advisory.h"

#include <gtest/gtest.h>

#include <string>

namespace plinth::audit {
namespace {

debian::DpkgVersion V(const char* text) { return *debian::DpkgVersion::Parse(text); }

OsvAdvisory Parse(const std::string& json) {
  auto parsed = ParseOsvAdvisory(json, "ADV.json");
  EXPECT_TRUE(parsed.ok()) << (parsed ? "" : parsed.error().ToString());
  if (!parsed) return {};
  EXPECT_EQ(parsed->outcome, OsvOutcome::kKept);
  return parsed->advisory;
}

// An advisory with one Debian:12 entry for source `name` whose ranges are `ranges` (JSON).
std::string Advisory(const std::string& ranges, const std::string& extra_entry = "",
                     const std::string& extra_top = "") {
  return R"({"id": "DSA-9001-1", "modified": "2026-01-02T00:00:00Z", "aliases": ["CVE-2026-0001"],
    "summary": "openssl: buffer overread", )" +
         extra_top + R"("affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl",
    "purl": "pkg:deb/debian/openssl?arch=source"}, "ranges": )" +
         ranges + extra_entry + "}]}";
}

TEST(OsvAdvisoryTest, ReadsIdAliasesSummaryAndTheDebianEntry) {
  OsvAdvisory a = Parse(Advisory(
      R"([{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}]}])"));
  EXPECT_EQ(a.id, "DSA-9001-1");
  EXPECT_EQ(a.aliases, std::vector<std::string>{"CVE-2026-0001"});
  EXPECT_EQ(a.summary, "openssl: buffer overread");
  EXPECT_EQ(a.file, "ADV.json");
  ASSERT_EQ(a.affected.size(), 1u);
  EXPECT_EQ(a.affected[0].ecosystem, "Debian:12");
  EXPECT_EQ(a.affected[0].name, "openssl");
  EXPECT_TRUE(IsAffected(a.affected[0], V("3.0.11-1~deb12u1")));
  EXPECT_TRUE(IsAffected(a.affected[0], V("0.1~pre"))) << "introduced 0 covers every version";
  EXPECT_FALSE(IsAffected(a.affected[0], V("1:0.1"))) << "epoch 1 sorts after the fix";
  EXPECT_FALSE(IsAffected(a.affected[0], V("3.0.11-1~deb12u2")));
  EXPECT_FALSE(IsAffected(a.affected[0], V("3.0.11-1")));
  EXPECT_EQ(FixedVersion(a.affected[0], V("3.0.11-1~deb12u1"))->str(), "3.0.11-1~deb12u2");
}

TEST(OsvAdvisoryTest, IntroducedLastAffectedAndLimitBoundARange) {
  OsvAdvisory a = Parse(Advisory(R"([{"type": "ECOSYSTEM", "events": [
      {"introduced": "2.0-1"}, {"last_affected": "2.4-3"}]}])"));
  const OsvAffected& e = a.affected[0];
  EXPECT_FALSE(IsAffected(e, V("1.9-9")));
  EXPECT_TRUE(IsAffected(e, V("2.0-1")));
  EXPECT_TRUE(IsAffected(e, V("2.4-3")));
  EXPECT_FALSE(IsAffected(e, V("2.4-3+deb12u1")));
  EXPECT_FALSE(FixedVersion(e, V("2.4-3")).has_value());

  OsvAdvisory limited = Parse(Advisory(R"([{"type": "ECOSYSTEM", "events": [
      {"introduced": "0"}, {"limit": "5.0"}]}])"));
  EXPECT_TRUE(IsAffected(limited.affected[0], V("4.9")));
  EXPECT_FALSE(IsAffected(limited.affected[0], V("5.0")));
}

TEST(OsvAdvisoryTest, SeveralRangesAndUnsortedEventsAreEvaluatedInVersionOrder) {
  // Two vulnerable spans, events given out of order: [1.0, 1.2) and [2.0, 2.1).
  OsvAdvisory a = Parse(Advisory(R"([
      {"type": "ECOSYSTEM", "events": [{"fixed": "2.1"}, {"introduced": "2.0"}]},
      {"type": "ECOSYSTEM", "events": [{"fixed": "1.2"}, {"introduced": "1.0"}]},
      {"type": "GIT", "repo": "https://example.org/openssl.git",
       "events": [{"introduced": "abc123"}, {"fixed": "def456"}]}])"));
  const OsvAffected& e = a.affected[0];
  EXPECT_EQ(e.ranges.size(), 2u) << "the GIT range is not a Debian range";
  EXPECT_FALSE(IsAffected(e, V("0.9")));
  EXPECT_TRUE(IsAffected(e, V("1.1")));
  EXPECT_FALSE(IsAffected(e, V("1.5")));
  EXPECT_TRUE(IsAffected(e, V("2.0")));
  EXPECT_FALSE(IsAffected(e, V("2.1")));
  EXPECT_EQ(FixedVersion(e, V("1.1"))->str(), "1.2");
  EXPECT_EQ(FixedVersion(e, V("2.0"))->str(), "2.1");
}

TEST(OsvAdvisoryTest, EpochsAndTildesOrderAsDpkgOrdersThem) {
  OsvAdvisory a = Parse(Advisory(R"([{"type": "ECOSYSTEM", "events": [
      {"introduced": "0"}, {"fixed": "1:2.38-1~deb12u1"}]}])"));
  const OsvAffected& e = a.affected[0];
  EXPECT_TRUE(IsAffected(e, V("2.99-1"))) << "no epoch sorts before epoch 1";
  EXPECT_TRUE(IsAffected(e, V("1:2.38-1~deb11u9")));
  EXPECT_TRUE(IsAffected(e, V("1:2.38-1~")));
  EXPECT_FALSE(IsAffected(e, V("1:2.38-1~deb12u1")));
  EXPECT_FALSE(IsAffected(e, V("1:2.38-1"))) << "~ sorts before the end of the string";
  EXPECT_FALSE(IsAffected(e, V("2:0.1")));
}

TEST(OsvAdvisoryTest, ExplicitVersionsAreAffected) {
  OsvAdvisory a = Parse(Advisory(R"([])", R"(, "versions": ["1.0-1", "1.0-2"])"));
  EXPECT_TRUE(IsAffected(a.affected[0], V("1.0-1")));
  EXPECT_TRUE(IsAffected(a.affected[0], V("1.0-2")));
  EXPECT_FALSE(IsAffected(a.affected[0], V("1.0-3")));
}

TEST(OsvAdvisoryTest, WithdrawnAndForeignAdvisoriesAreDropped) {
  auto withdrawn = ParseOsvAdvisory(
      R"({"id": "DSA-1-1", "withdrawn": "2026-01-01T00:00:00Z", "affected": [
        {"package": {"ecosystem": "Debian:12", "name": "zlib"},
         "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]})",
      "w.json");
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->outcome, OsvOutcome::kWithdrawn);

  auto pypi = ParseOsvAdvisory(
      R"({"id": "PYSEC-1", "affected": [
        {"package": {"ecosystem": "PyPI", "name": "django"},
         "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "not a dpkg version!"}]}]},
        {"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "zlib"}}]})",
      "p.json");
  ASSERT_TRUE(pypi.ok()) << "other ecosystems are not read, so their versions are not checked";
  EXPECT_EQ(pypi->outcome, OsvOutcome::kOtherEcosystem);
}

TEST(OsvAdvisoryTest, OnlyTheDebianEntriesOfAMixedAdvisoryAreKept) {
  OsvAdvisory a = Parse(R"({"id": "CVE-2026-2", "affected": [
      {"package": {"ecosystem": "Alpine:v3.19", "name": "openssl"}},
      {"package": {"ecosystem": "Debian", "name": "openssl"},
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]},
      {"package": {"ecosystem": "Debian:13", "name": "openssl"},
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.5.1-1"}]}]}]})");
  ASSERT_EQ(a.affected.size(), 2u);
  EXPECT_EQ(a.affected[0].ecosystem, "Debian");
  EXPECT_EQ(a.affected[1].ecosystem, "Debian:13");
}

TEST(OsvAdvisoryTest, SeverityPrefersCvssThenDatabaseSeverityThenUrgency) {
  const std::string ranges = R"([{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}])";
  OsvAdvisory cvss =
      Parse(Advisory(ranges, R"(, "ecosystem_specific": {"urgency": "low"})",
                     R"("severity": [{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
                      {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],)"));
  EXPECT_EQ(cvss.affected[0].severity, VulnSeverity::kCritical);
  EXPECT_EQ(cvss.affected[0].severity_origin, "CVSS:3.1 9.8");

  OsvAdvisory db = Parse(Advisory(ranges, R"(, "ecosystem_specific": {"urgency": "low"})",
                                  R"("database_specific": {"severity": "MODERATE"},)"));
  EXPECT_EQ(db.affected[0].severity, VulnSeverity::kMedium);
  EXPECT_EQ(db.affected[0].severity_origin, "severity MODERATE");

  OsvAdvisory urgency = Parse(Advisory(ranges, R"(, "ecosystem_specific": {"urgency": "high*"})"));
  EXPECT_EQ(urgency.affected[0].severity, VulnSeverity::kHigh);
  EXPECT_EQ(urgency.affected[0].severity_origin, "urgency high*");

  OsvAdvisory unassigned =
      Parse(Advisory(ranges, R"(, "ecosystem_specific": {"urgency": "not yet assigned"})"));
  EXPECT_EQ(unassigned.affected[0].severity, VulnSeverity::kUnknown);
  EXPECT_EQ(unassigned.affected[0].severity_origin, "");

  // An entry's own CVSS vector wins over the advisory's.
  OsvAdvisory own = Parse(Advisory(
      ranges,
      R"(, "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"}])",
      R"("severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],)"));
  EXPECT_EQ(own.affected[0].severity, VulnSeverity::kMedium);
}

void ExpectError(const std::string& json, const std::string& field) {
  auto parsed = ParseOsvAdvisory(json, "bad/DSA-0000-1.json");
  ASSERT_FALSE(parsed.ok()) << json;
  EXPECT_EQ(parsed.error().kind(), ErrorKind::kInvalidInput);
  std::string text = parsed.error().ToString();
  EXPECT_NE(text.find("bad/DSA-0000-1.json"), std::string::npos) << text;
  EXPECT_NE(text.find(field), std::string::npos) << text << " should name " << field;
}

TEST(OsvAdvisoryTest, HostileDocumentsAreErrorsNamingFileAndField) {
  ExpectError("{", "not valid JSON");
  ExpectError("[]", "not a JSON object");
  ExpectError(R"({"summary": "x"})", "id");
  ExpectError(R"({"id": 7})", "id");
  ExpectError(R"({"id": "A", "aliases": "CVE-1"})", "aliases");
  ExpectError(R"({"id": "A", "aliases": ["CVE-1", 2]})", "aliases[1]");
  ExpectError(R"({"id": "A", "withdrawn": true})", "withdrawn");
  ExpectError(R"({"id": "A", "affected": {}})", "affected");
  ExpectError(R"({"id": "A", "affected": [3]})", "affected[0]");
  ExpectError(R"({"id": "A", "affected": [{"package": {"ecosystem": 12, "name": "x"}}]})",
              "affected[0].package.ecosystem");
  ExpectError(R"({"id": "A", "affected": [{"package": {"ecosystem": "Debian:12"}}]})",
              "affected[0].package.name");
  ExpectError(R"({"id": "A", "affected": [{"package": {"ecosystem": "Debian:12", "name": "x"},
      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1 2"}]}]}]})",
              "affected[0].ranges[0].events[1].fixed");
  ExpectError(R"({"id": "A", "affected": [{"package": {"ecosystem": "Debian:12", "name": "x"},
      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": 0}]}]}]})",
              "affected[0].ranges[0].events[0].introduced");
  ExpectError(R"({"id": "A", "affected": [{"package": {"ecosystem": "Debian:12", "name": "x"},
      "ranges": [{"type": "ECOSYSTEM", "events": [{"patched": "1"}]}]}]})",
              "affected[0].ranges[0].events[0]");
  ExpectError(R"({"id": "A", "affected": [{"package": {"ecosystem": "Debian:12", "name": "x"},
      "ranges": [{"type": "ECOSYSTEM"}]}]})",
              "affected[0].ranges[0].events");
  ExpectError(R"({"id": "A", "affected": [{"package": {"ecosystem": "Debian:12", "name": "x"},
      "versions": ["1.0", "one point oh"]}]})",
              "affected[0].versions[1]");
  ExpectError(R"({"id": "A", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N"}],
      "affected": [{"package": {"ecosystem": "Debian:12", "name": "x"}}]})",
              "severity[0].score");
  ExpectError(R"({"id": "A", "affected": [{"package": {"ecosystem": "Debian:12", "name": "x"},
      "ecosystem_specific": "high"}]})",
              "affected[0].ecosystem_specific");
}

TEST(OsvAdvisoryTest, DeeplyNestedJsonIsAnErrorNotACrash) {
  std::string deep = R"({"id": "A", "database_specific": )" + std::string(100000, '[') +
                     std::string(100000, ']') + "}";
  auto parsed = ParseOsvAdvisory(deep, "deep.json");
  // nlohmann parses iteratively; what matters is that it returns.
  EXPECT_TRUE(!parsed.ok() || parsed->outcome == OsvOutcome::kOtherEcosystem);
}

}  // namespace
}  // namespace plinth::audit
