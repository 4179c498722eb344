// Matching an image's packages against a small database of real-shaped Debian advisories made
// here (written as files and loaded as the command loads them): affected, fixed, not affected
// (another release, a version before `introduced`), withdrawn, a source package with several
// binaries, binNMUs, epochs and `~` versions, multi-arch, and the ecosystem from os-release.
#include "audit/vuln_matcher.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "util/fs.h"

namespace plinth::audit {
namespace {

ImagePackage Pkg(std::string name, std::string version, std::string source = "",
                 std::string source_version = "", std::string arch = "amd64") {
  ImagePackage p;
  p.name = std::move(name);
  p.version = std::move(version);
  p.source = std::move(source);
  p.source_version = std::move(source_version);
  p.architecture = std::move(arch);
  p.record_path = "var/lib/dpkg/status.d/" + p.name;
  return p;
}

// One advisory for `package` in `ecosystem` with the given events (JSON array).
std::string Advisory(const std::string& id, const std::string& ecosystem,
                     const std::string& package, const std::string& events,
                     const std::string& extra = "") {
  return R"({"id": ")" + id +
         R"(", "modified": "2026-01-10T00:00:00Z", "published": "2026-01-09T00:00:00Z",
    "aliases": ["CVE-)" +
         id.substr(id.find('-') + 1) + R"("], "summary": ")" + package + R"(: security update", )" +
         extra + R"("affected": [{"package": {"ecosystem": ")" + ecosystem + R"(", "name": ")" +
         package + R"(", "purl": "pkg:deb/debian/)" + package +
         R"(?arch=source"}, "ranges": [{"type": "ECOSYSTEM", "events": )" + events +
         R"(}], "ecosystem_specific": {"urgency": "medium"}}]})";
}

class VulnMatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::Create("vuln-matcher-test");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(*dir));
  }

  void Write(const std::string& name, const std::string& json) {
    std::ofstream(dir_->path() + "/" + name) << json;
  }

  std::vector<VulnFinding> Match(const std::vector<ImagePackage>& packages,
                                 std::string_view ecosystem = "Debian:12") {
    auto db = LoadOsvDatabase(dir_->path());
    EXPECT_TRUE(db.ok()) << db.error().ToString();
    if (!db) return {};
    auto findings = MatchVulnerabilities(packages, *db, ecosystem);
    EXPECT_TRUE(findings.ok()) << findings.error().ToString();
    return findings.value_or({});
  }

  std::optional<TempDir> dir_;
};

TEST_F(VulnMatcherTest, SourceAdvisoryYieldsOneFindingPerInstalledBinary) {
  Write(
      "DSA-5801-1.json",
      Advisory(
          "DSA-5801-1", "Debian:12", "openssl",
          R"([{"introduced": "0"}, {"fixed": "3.0.15-1~deb12u1"}])",
          R"("severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}], )"));
  auto findings =
      Match({Pkg("libssl3", "3.0.14-1~deb12u2", "openssl"), Pkg("openssl", "3.0.14-1~deb12u2"),
             Pkg("zlib1g", "1:1.2.13.dfsg-1", "zlib")});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].package, "libssl3");
  EXPECT_EQ(findings[1].package, "openssl");
  for (const VulnFinding& f : findings) {
    EXPECT_EQ(f.advisory, "DSA-5801-1");
    EXPECT_EQ(f.aliases, std::vector<std::string>{"CVE-5801-1"});
    EXPECT_EQ(f.source, "openssl");
    EXPECT_EQ(f.installed_version, "3.0.14-1~deb12u2");
    EXPECT_EQ(f.fixed_version, "3.0.15-1~deb12u1");
    EXPECT_EQ(f.ecosystem, "Debian:12");
    EXPECT_EQ(f.severity, VulnSeverity::kHigh);
    EXPECT_EQ(f.severity_origin, "CVSS:3.1 7.5");
    EXPECT_EQ(f.summary, "openssl: security update");
  }
}

TEST_F(VulnMatcherTest, FixedAndNotAffectedVersionsYieldNothing) {
  Write("DSA-5802-1.json", Advisory("DSA-5802-1", "Debian:12", "zlib",
                                    R"([{"introduced": "0"}, {"fixed": "1:1.2.13.dfsg-1"}])"));
  // Before introduced: the bug came with 2.0.
  Write("DSA-5803-1.json", Advisory("DSA-5803-1", "Debian:12", "curl",
                                    R"([{"introduced": "8.0.0-1"}, {"fixed": "8.5.0-2"}])"));
  // Another release's advisory.
  Write("DLA-3900-1.json", Advisory("DLA-3900-1", "Debian:11", "tzdata",
                                    R"([{"introduced": "0"}, {"fixed": "2099a-1"}])"));
  auto findings =
      Match({Pkg("zlib1g", "1:1.2.13.dfsg-1", "zlib"),              // = fixed
             Pkg("zlib1g-dev", "1:1.2.13.dfsg-1+deb12u1", "zlib"),  // > fixed
             Pkg("libcurl4", "7.88.1-10+deb12u8", "curl"), Pkg("tzdata", "2024a-0+deb12u1")});
  EXPECT_TRUE(findings.empty()) << findings.size() << " findings, first " << findings[0].advisory;
}

TEST_F(VulnMatcherTest, WithdrawnAdvisoriesAreNotReported) {
  Write("DEBIAN-CVE-2026-1111.json",
        Advisory("DEBIAN-CVE-2026-1111", "Debian:12", "openssl", R"([{"introduced": "0"}])",
                 R"("withdrawn": "2026-01-11T00:00:00Z", )"));
  EXPECT_TRUE(Match({Pkg("libssl3", "3.0.14-1~deb12u2", "openssl")}).empty());
}

TEST_F(VulnMatcherTest, BinNmuIsComparedByItsSourceVersion) {
  // libfoo1 1.2-3+b1 is a rebuild of source foo 1.2-3: the fix in 1.2-3+deb12u1 is not in it,
  // although 1.2-3+b1 > 1.2-3+deb12u1 would say it is when compared as the binary's version.
  Write("DSA-5804-1.json", Advisory("DSA-5804-1", "Debian:12", "foo",
                                    R"([{"introduced": "0"}, {"fixed": "1.2-3+deb12u1"}])"));
  auto findings = Match({Pkg("libfoo1", "1.2-3+b1", "foo", "1.2-3")});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].installed_version, "1.2-3");
  EXPECT_EQ(findings[0].fixed_version, "1.2-3+deb12u1");
}

TEST_F(VulnMatcherTest, EpochsAndTildesDecideAsDpkgDoes) {
  Write("DSA-5805-1.json", Advisory("DSA-5805-1", "Debian:12", "glibc",
                                    R"([{"introduced": "0"}, {"fixed": "2.36-9+deb12u4"}])"));
  Write("DSA-5806-1.json",
        Advisory("DSA-5806-1", "Debian:12", "shadow",
                 R"([{"introduced": "0"}, {"fixed": "1:4.13+dfsg1-1+deb12u1"}])"));
  auto findings = Match({
      Pkg("libc6", "2.36-9+deb12u4~pre1", "glibc"),  // ~: before the fix
      Pkg("libc-bin", "2.36-9+deb12u4", "glibc"),    // the fix
      Pkg("passwd", "1:4.13+dfsg1-1", "shadow"),     // same epoch, before the fix
      Pkg("login", "4.99-1", "shadow"),              // no epoch: before epoch 1
  });
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].package, "libc6");
  EXPECT_EQ(findings[1].package, "login");
  EXPECT_EQ(findings[2].package, "passwd");
}

TEST_F(VulnMatcherTest, AdvisoryNamingABinaryPackageMatchesIt) {
  Write("DEBIAN-CVE-2026-2222.json",
        Advisory("DEBIAN-CVE-2026-2222", "Debian:12", "libexpat1",
                 R"([{"introduced": "0"}, {"fixed": "2.5.0-1+deb12u2"}])"));
  auto findings = Match({Pkg("libexpat1", "2.5.0-1+deb12u1", "expat")});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].package, "libexpat1");
  EXPECT_EQ(findings[0].source, "expat");
}

TEST_F(VulnMatcherTest, BareDebianEcosystemAppliesToEveryReleaseOthersDoNot) {
  Write("OSV-2026-1.json",
        Advisory("OSV-2026-1", "Debian", "bash", R"([{"introduced": "0"}, {"fixed": "5.3-1"}])"));
  Write("DSA-5807-1.json", Advisory("DSA-5807-1", "Debian:13", "bash",
                                    R"([{"introduced": "0"}, {"fixed": "5.2.37-2+deb13u1"}])"));
  auto bookworm = Match({Pkg("bash", "5.2.15-2+b7", "bash", "5.2.15-2")}, "Debian:12");
  ASSERT_EQ(bookworm.size(), 1u);
  EXPECT_EQ(bookworm[0].advisory, "OSV-2026-1");
  EXPECT_EQ(bookworm[0].ecosystem, "Debian");
  auto trixie = Match({Pkg("bash", "5.2.37-2")}, "Debian:13");
  EXPECT_EQ(trixie.size(), 2u);
}

TEST_F(VulnMatcherTest, OneFindingPerAdvisoryPackageAndArchitecture) {
  // Two entries of one advisory both cover glibc (as when a range and a versions list are
  // given separately), and a second copy of it in the folder: reported once; libc6 of two
  // architectures: once each.
  Write("DSA-5808-1.json", R"({"id": "DSA-5808-1", "affected": [
      {"package": {"ecosystem": "Debian:12", "name": "glibc"},
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.36-9+deb12u9"}]}]},
      {"package": {"ecosystem": "Debian:12", "name": "glibc"}, "versions": ["2.36-9+deb12u7"]}]})");
  Write("copy-of-DSA-5808-1.json",
        Advisory("DSA-5808-1", "Debian:12", "glibc", R"([{"introduced": "0"}])"));
  auto findings = Match({Pkg("libc6", "2.36-9+deb12u7", "glibc"),
                         Pkg("libc6", "2.36-9+deb12u7", "glibc", "", "i386")});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].architecture, "amd64");
  EXPECT_EQ(findings[1].architecture, "i386");
}

TEST_F(VulnMatcherTest, FindingsAreSortedBySeverityThenPackage) {
  Write("A.json", Advisory("DSA-1-1", "Debian:12", "aaa", R"([{"introduced": "0"}])"));
  Write("B.json", Advisory("DSA-2-1", "Debian:12", "zzz", R"([{"introduced": "0"}])",
                           R"("database_specific": {"severity": "CRITICAL"}, )"));
  auto findings = Match({Pkg("aaa", "1"), Pkg("zzz", "1")});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].package, "zzz");
  EXPECT_EQ(findings[0].severity, VulnSeverity::kCritical);
  EXPECT_EQ(findings[1].severity, VulnSeverity::kMedium) << "urgency medium";
  EXPECT_TRUE(findings[0].fixed_version.empty()) << "no fix yet";
}

TEST_F(VulnMatcherTest, InstalledVersionThatIsNotADebianVersionIsAnError) {
  Write("A.json", Advisory("DSA-1-1", "Debian:12", "aaa", R"([{"introduced": "0"}])"));
  auto db = LoadOsvDatabase(dir_->path());
  ASSERT_TRUE(db.ok());
  auto findings = MatchVulnerabilities({Pkg("aaa", "1 0")}, *db, "Debian:12");
  ASSERT_FALSE(findings.ok());
  EXPECT_EQ(findings.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(findings.error().ToString().find("var/lib/dpkg/status.d/aaa"), std::string::npos);
  // A package no advisory names is never parsed, so it cannot fail the match.
  EXPECT_TRUE(MatchVulnerabilities({Pkg("bbb", "1 0")}, *db, "Debian:12").ok());
}

TEST(DebianEcosystemTest, ComesFromOsRelease) {
  auto bookworm = DebianEcosystemFromOsRelease(
      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
      "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n");
  ASSERT_TRUE(bookworm.ok());
  EXPECT_EQ(*bookworm, "Debian:12");
  EXPECT_EQ(DebianEcosystemFromOsRelease("ID='debian'\r\nVERSION_ID=13\r\n").value_or(""),
            "Debian:13");
  auto sid =
      DebianEcosystemFromOsRelease("PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nID=debian\n");
  ASSERT_FALSE(sid.ok());
  EXPECT_EQ(sid.error().kind(), ErrorKind::kNotFound);
  auto alpine = DebianEcosystemFromOsRelease("ID=alpine\nVERSION_ID=3.19.1\n");
  ASSERT_FALSE(alpine.ok());
  EXPECT_FALSE(DebianEcosystemFromOsRelease("ID=debian\nVERSION_ID=\"12/../x\"\n").ok());
}

}  // namespace
}  // namespace plinth::audit
