// `--vulns` on one image made in the test: the packages its status.d records name are matched
// against a database written here; each match becomes an audit finding at the package's record,
// with the advisory as its code and critical/high → error, medium → warning, low → note; an
// image that names no Debian release in its os-release is matched against nothing.
#include "audit/image_vulns.h"

#include <gtest/gtest.h>

#include "audit_image_support.h"
#include "support/test_env.h"

namespace plinth::audit {
namespace {

using testing::Dir;
using testing::File;
using testing::ImageMaker;

std::string Advisory(const std::string& id, const std::string& package, const std::string& fixed,
                     const std::string& urgency) {
  return R"({"id": ")" + id + R"(", "modified": "2026-11-01T00:00:00Z", "affected": [
    {"package": {"ecosystem": "Debian:12", "name": ")" + package + R"("},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": ")" + fixed +
         R"("}]}], "ecosystem_specific": {"urgency": ")" + urgency + R"("}}]})";
}

oci::Image WithPackages(ImageMaker& maker, const std::string& os_release) {
  return maker.Add(
      maker.Scratch(),
      {Dir("etc"), File("etc/os-release", os_release), Dir("var"), Dir("var/lib"),
       Dir("var/lib/dpkg"), Dir("var/lib/dpkg/status.d"),
       File("var/lib/dpkg/status.d/libssl3",
            "Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nSource: openssl\n"),
       File("var/lib/dpkg/status.d/zlib1g",
            "Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\nSource: zlib\n"),
       File("var/lib/dpkg/status.d/tzdata",
            "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n")});
}

class ImageVulnsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plinth::testing::WriteTestFile(dir_ / "db/a.json",
                                   Advisory("DSA-1", "openssl", "3.0.15-1~deb12u1", "high"));
    plinth::testing::WriteTestFile(dir_ / "db/b.json",
                                   Advisory("DSA-2", "zlib", "1:1.3-1", "medium"));
    plinth::testing::WriteTestFile(dir_ / "db/c.json",
                                   Advisory("DSA-3", "tzdata", "2024b-0+deb12u1", "low"));
    plinth::testing::WriteTestFile(dir_ / "db/d.json",
                                   Advisory("DSA-4", "zlib", "1:1.2.13.dfsg-1", "high"));
    auto db = LoadOsvDatabase(dir_ / "db");
    ASSERT_TRUE(db) << db.error().ToString();
    db_ = std::move(*db);
  }
  plinth::testing::ScratchDir dir_;
  OsvDatabase db_;
};

TEST_F(ImageVulnsTest, MatchesBecomeFindingsAtThePackagesRecords) {
  ImageMaker maker;
  auto manifest = maker.Store(WithPackages(maker, "ID=debian\nVERSION_ID=\"12\"\n"), "img:1");
  auto v = MatchImageVulns(maker.store(), manifest, "img:1", db_);
  ASSERT_TRUE(v) << v.error().ToString();
  EXPECT_EQ(v->ecosystem, "Debian:12");
  EXPECT_EQ(v->packages, 3u);
  ASSERT_EQ(v->findings.size(), 3u);  // DSA-4 is fixed in the installed version
  std::map<std::string, AuditFinding> by_code;
  for (const auto& f : v->findings) by_code[f.code] = f;
  ASSERT_EQ(by_code.count("DSA-4"), 0u);
  EXPECT_EQ(by_code["DSA-1"].severity, Severity::kError);
  EXPECT_EQ(by_code["DSA-1"].path, "var/lib/dpkg/status.d/libssl3");
  EXPECT_EQ(by_code["DSA-1"].image, "img:1");
  EXPECT_NE(by_code["DSA-1"].message.find("libssl3 3.0.11-1~deb12u2 (source openssl)"),
            std::string::npos)
      << by_code["DSA-1"].message;
  EXPECT_NE(by_code["DSA-1"].hint.find("fixed in 3.0.15-1~deb12u1"), std::string::npos);
  EXPECT_EQ(by_code["DSA-2"].severity, Severity::kWarning);
  EXPECT_EQ(by_code["DSA-3"].severity, Severity::kNote);
}

TEST_F(ImageVulnsTest, AnImageOfNoDebianReleaseIsMatchedAgainstNothing) {
  ImageMaker maker;
  for (const char* os_release : {"ID=alpine\nVERSION_ID=3.19.1\n", "ID=debian\n"}) {
    auto manifest = maker.Store(WithPackages(maker, os_release), "img:2");
    auto v = MatchImageVulns(maker.store(), manifest, "img:2", db_);
    ASSERT_TRUE(v) << v.error().ToString();
    EXPECT_EQ(v->ecosystem, "") << os_release;
    EXPECT_TRUE(v->findings.empty()) << os_release;
  }
}

}  // namespace
}  // namespace plinth::audit
