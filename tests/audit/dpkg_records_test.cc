// dpkg records and file lists as images hold them: the multi-record status file (only
// installed packages kept), distroless one-record files, Source with and without a version,
// and the hostile cases (no Package, a version dpkg refuses, oversized lists).
#include "audit/dpkg_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace plinth::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kStatus =
    "Package: libssl3\n"
    "Status: install ok installed\n"
    "Architecture: arm64\n"
    "Source: openssl\n"
    "Version: 3.0.15-1~deb12u1\n"
    "Description: Secure Sockets Layer toolkit\n"
    " multi-line description\n"
    "\n"
    "Package: removed-one\n"
    "Status: deinstall ok config-files\n"
    "Architecture: amd64\n"
    "Version: 1.0-1\n"
    "\n"
    "Package: libgcc-s1\n"
    "Status: install ok installed\n"
    "Architecture: arm64\n"
    "Source: gcc-12 (12.2.0-14)\n"
    "Version: 12.2.0-14\n"
    "\n"
    "Package: libc6\n"
    "Status: install ok installed\n"
    "Architecture: arm64\n"
    "Source: glibc\n"
    "Version: 2.36-9+deb12u9\n"
    "\n"
    "Package: zlib1g\n"
    "Status: install ok installed\n"
    "Architecture: arm64\n"
    "Source: zlib (1:1.2.13.dfsg-1)\n"
    "Version: 1:1.2.13.dfsg-1+b1\n";

TEST(DpkgRecordsTest, StatusFileKeepsOnlyInstalledPackages) {
  auto packages = ParseDpkgRecords(kStatus, "var/lib/dpkg/status");
  ASSERT_TRUE(packages) << packages.error().ToString();
  std::vector<std::string> names;
  for (const auto& p : *packages) names.push_back(p.name);
  EXPECT_THAT(names, ElementsAre("libssl3", "libgcc-s1", "libc6", "zlib1g"));
  const auto& ssl = (*packages)[0];
  EXPECT_EQ(ssl.version, "3.0.15-1~deb12u1");
  EXPECT_EQ(ssl.architecture, "arm64");
  EXPECT_EQ(ssl.source, "openssl");
  EXPECT_EQ(ssl.source_version, "");
  EXPECT_EQ(ssl.record_path, "var/lib/dpkg/status");
}

TEST(DpkgRecordsTest, SourceWithAVersionKeepsItOnlyWhenItDiffers) {
  auto packages = ParseDpkgRecords(kStatus, "var/lib/dpkg/status");
  ASSERT_TRUE(packages);
  EXPECT_EQ((*packages)[1].source, "gcc-12");
  EXPECT_EQ((*packages)[1].source_version, "");  // same as the binary's
  EXPECT_EQ((*packages)[3].source, "zlib");
  EXPECT_EQ((*packages)[3].source_version, "1:1.2.13.dfsg-1");
  EXPECT_EQ((*packages)[3].version, "1:1.2.13.dfsg-1+b1");
}

TEST(DpkgRecordsTest, DistrolessRecordWithoutStatusOrSourceIsInstalledAndItsOwnSource) {
  auto packages =
      ParseDpkgRecords("Package: base-files\nVersion: 12.4+deb12u8\nArchitecture: amd64\n",
                       "var/lib/dpkg/status.d/base-files");
  ASSERT_TRUE(packages);
  ASSERT_EQ(packages->size(), 1u);
  EXPECT_EQ((*packages)[0].source, "base-files");
  EXPECT_EQ((*packages)[0].record_path, "var/lib/dpkg/status.d/base-files");
}

TEST(DpkgRecordsTest, RecordWithoutPackageIsAnErrorNamingFileAndLine) {
  auto packages = ParseDpkgRecords("Package: a\nVersion: 1\n\nVersion: 2\n", "var/lib/dpkg/status");
  ASSERT_FALSE(packages);
  EXPECT_THAT(packages.error().ToString(), HasSubstr("/var/lib/dpkg/status:4"));
  EXPECT_THAT(packages.error().ToString(), HasSubstr("no Package field"));
}

TEST(DpkgRecordsTest, VersionDpkgRefusesIsAnError) {
  auto packages = ParseDpkgRecords("Package: a\nVersion: x:1\n", "var/lib/dpkg/status.d/a");
  ASSERT_FALSE(packages);
  EXPECT_THAT(packages.error().ToString(), HasSubstr("a: Version"));
  auto source =
      ParseDpkgRecords("Package: a\nVersion: 1\nSource: b (2\n", "var/lib/dpkg/status.d/a");
  ASSERT_FALSE(source);
  EXPECT_THAT(source.error().ToString(), HasSubstr("Source"));
}

TEST(DpkgRecordsTest, OversizedStatusIsRefused) {
  std::string big(kMaxStatusFile + 1, 'x');
  auto packages = ParseDpkgRecords(big, "var/lib/dpkg/status");
  ASSERT_FALSE(packages);
  EXPECT_THAT(packages.error().ToString(), HasSubstr("more than a dpkg status file can be"));
}

TEST(DpkgRecordsTest, ListAndMd5sumsNamePathsRelative) {
  std::set<std::string> owned;
  ASSERT_TRUE(AddOwnedPaths("/.\n/usr\n/usr/bin/python3.11\n/bin/ls\n", false,
                            "var/lib/dpkg/info/x.list", &owned));
  ASSERT_TRUE(AddOwnedPaths("d41d8cd98f00b204e9800998ecf8427e  usr/lib/libz.so.1\n\n", true,
                            "var/lib/dpkg/status.d/zlib1g.md5sums", &owned));
  EXPECT_THAT(owned, ElementsAre("bin/ls", "usr", "usr/bin/python3.11", "usr/lib/libz.so.1"));
  auto bad = AddOwnedPaths("no-gap-here\n", true, "var/lib/dpkg/status.d/a.md5sums", &owned);
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().ToString(), HasSubstr("/var/lib/dpkg/status.d/a.md5sums:1"));
}

TEST(DpkgRecordsTest, OwnershipFollowsMergedUsr) {
  std::set<std::string> owned = {"bin/ls", "usr/lib/aarch64-linux-gnu/libc.so.6"};
  EXPECT_TRUE(IsOwned(owned, "bin/ls"));
  EXPECT_TRUE(IsOwned(owned, "usr/bin/ls"));
  EXPECT_TRUE(IsOwned(owned, "lib/aarch64-linux-gnu/libc.so.6"));
  EXPECT_FALSE(IsOwned(owned, "usr/bin/cat"));
  EXPECT_FALSE(IsOwned(owned, "app/main.py"));
  EXPECT_FALSE(IsOwned(owned, "usr/share/bin/ls"));
}

}  // namespace
}  // namespace plinth::audit
