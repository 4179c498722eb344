// The packages and unowned files of images made in the test: distroless-style status.d records
// with .md5sums (as plinth's bases write them), a dpkg status file with .list files, a record
// whited out by an upper layer, licences from DEP-5 copyright files, the distro from
// os-release, and the SBOM made from the image.
#include "audit/dpkg_database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "audit/sbom_maker.h"
#include "audit_image_support.h"
#include "support/sbom_schema.h"
#include "util/sha256.h"

namespace plinth::audit {
namespace {

using testing::Dir;
using ::testing::ElementsAre;
using testing::File;
using testing::HardLink;
using ::testing::HasSubstr;
using testing::ImageMaker;
using testing::Symlink;
using testing::Whiteout;

constexpr const char* kZlibCopyright =
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
    "Files: *\nCopyright: Jean-loup Gailly and Mark Adler\nLicense: Zlib\n";

std::vector<std::string> Names(const DpkgDatabase& db) {
  std::vector<std::string> names;
  for (const auto& p : db.packages) names.push_back(p.name);
  return names;
}

std::vector<std::string> Paths(const DpkgDatabase& db) {
  std::vector<std::string> paths;
  for (const auto& f : db.unowned_files) paths.push_back(f.path);
  return paths;
}

oci::Image DistrolessBase(ImageMaker& maker) {
  return maker.Add(
      maker.Scratch("arm64"),
      {Dir("etc"), Symlink("etc/os-release", "../usr/lib/os-release"), Dir("usr"), Dir("usr/lib"),
       File("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
       File("usr/lib/libz.so.1", "zlib code"), File("usr/bin/zpipe", "zpipe"),
       Dir("usr/share/doc/zlib1g"), File("usr/share/doc/zlib1g/copyright", kZlibCopyright),
       Dir("usr/share/doc/libc6"), File("usr/share/doc/libc6/copyright", "not machine-readable"),
       Dir("var/lib/dpkg/status.d"),
       File("var/lib/dpkg/status.d/zlib1g",
            "Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\nArchitecture: arm64\nSource: zlib\n"),
       File("var/lib/dpkg/status.d/zlib1g.md5sums",
            "00000000000000000000000000000000  usr/lib/libz.so.1\n"
            "00000000000000000000000000000000  usr/share/doc/zlib1g/copyright\n"),
       File("var/lib/dpkg/status.d/libc6",
            "Package: libc6\nVersion: 2.36-9+deb12u9\nArchitecture: arm64\nSource: glibc\n"),
       File("etc/passwd", "root:x:0:0::/root:/sbin/nologin\n")});
}

TEST(DpkgDatabaseTest, DistrolessRecordsWithMd5sumsAndLicences) {
  ImageMaker maker;
  oci::Image image = DistrolessBase(maker);
  image = maker.Add(image, {Dir("app"), File("app/main.py", "print('hi')\n"),
                            HardLink("app/copy.py", "app/main.py")});
  auto db = ReadDpkgDatabase(maker.store(), image, "test-image");
  ASSERT_TRUE(db) << db.error().ToString();
  EXPECT_THAT(Names(*db), ElementsAre("libc6", "zlib1g"));
  EXPECT_EQ(db->distro, "debian-12");
  EXPECT_TRUE(db->has_file_lists);
  const auto& zlib = db->packages[1];
  EXPECT_EQ(zlib.version, "1:1.2.13.dfsg-1");
  EXPECT_EQ(zlib.source, "zlib");
  EXPECT_THAT(zlib.licenses, ElementsAre("Zlib"));
  EXPECT_EQ(zlib.record_path, "var/lib/dpkg/status.d/zlib1g");
  EXPECT_TRUE(db->packages[0].licenses.empty());  // libc6's copyright is not DEP-5
  EXPECT_THAT(Paths(*db), ElementsAre("app/copy.py", "app/main.py", "etc/passwd", "usr/bin/zpipe",
                                      "usr/lib/os-release", "usr/share/doc/libc6/copyright"));
  // A hard link is its target's content.
  EXPECT_EQ(db->unowned_files[0].sha256, Sha256::HexOf("print('hi')\n"));
  EXPECT_EQ(db->unowned_files[1].sha256, Sha256::HexOf("print('hi')\n"));
  EXPECT_EQ(db->unowned_files[1].size, 12u);
}

TEST(DpkgDatabaseTest, UpperLayerWhiteoutRemovesARecord) {
  ImageMaker maker;
  oci::Image image = DistrolessBase(maker);
  image = maker.Add(image, {Whiteout("var/lib/dpkg/status.d/libc6")});
  auto db = ReadDpkgDatabase(maker.store(), image, "test-image");
  ASSERT_TRUE(db) << db.error().ToString();
  EXPECT_THAT(Names(*db), ElementsAre("zlib1g"));
}

TEST(DpkgDatabaseTest, StatusFileWithListsKeepsInstalledOnes) {
  ImageMaker maker;
  oci::Image image = maker.Add(
      maker.Scratch(),
      {Dir("var/lib/dpkg/info"),
       File("var/lib/dpkg/status",
            "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: "
            "5.2.15-2+b7\n\n"
            "Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1\n"),
       File("var/lib/dpkg/info/bash.list", "/.\n/bin\n/bin/bash\n"), File("usr/bin/bash", "ELF"),
       File("usr/local/bin/tool", "tool")});
  auto db = ReadDpkgDatabase(maker.store(), image, "test-image");
  ASSERT_TRUE(db) << db.error().ToString();
  EXPECT_THAT(Names(*db), ElementsAre("bash"));
  EXPECT_EQ(db->distro, "");
  // usr/bin/bash is bin/bash behind merged-/usr's symlink.
  EXPECT_THAT(Paths(*db), ElementsAre("usr/local/bin/tool"));
}

TEST(DpkgDatabaseTest, BadRecordIsAnErrorNamingImageAndFile) {
  ImageMaker maker;
  oci::Image image = maker.Add(
      maker.Scratch(), {File("var/lib/dpkg/status.d/x", "Version: 1\nArchitecture: all\n")});
  auto db = ReadDpkgDatabase(maker.store(), image, "test-image");
  ASSERT_FALSE(db);
  EXPECT_THAT(db.error().ToString(), HasSubstr("test-image"));
  EXPECT_THAT(db.error().ToString(), HasSubstr("/var/lib/dpkg/status.d/x:1"));
}

TEST(DpkgDatabaseTest, SbomOfTheImageValidatesInBothFormats) {
  ImageMaker maker;
  oci::Image image = DistrolessBase(maker);
  oci::Descriptor manifest = maker.Store(image, "sbom-test:1");
  auto document = MakeSbom(maker.store(), image, manifest, "sbom-test:1");
  ASSERT_TRUE(document) << document.error().ToString();
  EXPECT_EQ(document->manifest_digest, manifest.digest.str());
  EXPECT_EQ(document->platform, "linux/arm64");
  std::string spdx = SbomText(*document, SbomFormat::kSpdxJson);
  auto spdx_check = plinth::testing::ValidateSpdx23(spdx);
  EXPECT_EQ(spdx_check.exit_code, 0) << spdx_check.output;
  std::string cdx = SbomText(*document, SbomFormat::kCycloneDxJson);
  auto cdx_check = plinth::testing::ValidateCycloneDx15(cdx);
  EXPECT_EQ(cdx_check.exit_code, 0) << cdx_check.output;
  auto parsed = nlohmann::json::parse(cdx);
  EXPECT_EQ(parsed["components"][1]["purl"],
            "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=arm64&distro=debian-12");
  EXPECT_FALSE(ParseSbomFormat("xml"));
}

}  // namespace
}  // namespace plinth::audit
