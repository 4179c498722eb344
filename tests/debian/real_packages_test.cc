// Real Debian packages through apt-get (network to Debian's archive, cached between runs):
// resolution of actual bookworm packages, download + sha256 verification, and assembly of a
// small base for amd64 and arm64 on whatever machine runs the test.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "debian/package_pinner.h"
#include "debian/package_source.h"
#include "debian/recording_sink_support.h"
#include "debian/release_file.h"
#include "debian/rootfs_assembler.h"
#include "util/file_lock.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::debian {
namespace {

Recipe StaticRecipe() {
  auto r = ParseRecipe(YAML::Load(R"(
name: static-test
suite: bookworm
architectures: [amd64, arm64]
packages: [base-files, netbase, tzdata, ca-certificates]
)"),
                       "static.yaml");
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return *r;
}

class RealPackagesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RealPackagesTest, ResolvesFetchesAndAssemblesStaticBase) {
  const std::string arch = GetParam();
  Recipe recipe = StaticRecipe();
  auto source = MakePackageSource(recipe, plinth::testing::TestDebCache());
  ASSERT_TRUE(source.ok()) << source.error().ToString();
  LockFile lock;
  auto pinned = PinPackages(recipe, arch, **source, lock, LockUpdate::kKeep);
  ASSERT_TRUE(pinned.ok()) << pinned.error().ToString();
  std::vector<std::string> names;
  for (const auto& p : pinned->section.packages) names.push_back(p.name);
  // ca-certificates pulls openssl; debconf is excluded by default; nothing Essential sneaks in.
  for (const char* want : {"base-files", "ca-certificates", "netbase", "openssl", "tzdata", "libssl3", "libc6"})
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  for (const char* never : {"dpkg", "debconf", "perl-base", "bash", "dash", "coreutils"})
    EXPECT_EQ(std::find(names.begin(), names.end(), never), names.end()) << never;
  EXPECT_TRUE(pinned->resolution.dropped.count("debconf"));

  ASSERT_TRUE((*source)->Fetch(arch, pinned->section.packages).ok());
  std::vector<PackageFile> files;
  for (const auto& p : pinned->section.packages) files.push_back({p, (*source)->cache().PathFor(p.sha256)});
  plinth::testing::ScratchDir tmp;
  testing::RecordingSink sink;
  AssembleOptions options;
  options.arch = arch;
  options.tmp_dir = tmp.path();
  auto report = AssembleRootfs(recipe, files, options, &sink);
  ASSERT_TRUE(report.ok()) << report.error().ToString();

  ASSERT_NE(sink.Find("etc/os-release"), nullptr);
  ASSERT_NE(sink.Find("usr/lib/os-release"), nullptr);
  EXPECT_NE(sink.Find("usr/lib/os-release")->data.find("VERSION_CODENAME=bookworm"), std::string::npos);
  const auto* bundle = sink.Find("etc/ssl/certs/ca-certificates.crt");
  ASSERT_NE(bundle, nullptr);
  size_t certs = 0;
  for (size_t pos = 0; (pos = bundle->data.find("BEGIN CERTIFICATE", pos)) != std::string::npos; ++pos) ++certs;
  EXPECT_GT(certs, 100u);
  EXPECT_NE(sink.Find("usr/share/zoneinfo/Europe/Paris"), nullptr);
  EXPECT_NE(sink.Find("etc/services"), nullptr);
  EXPECT_NE(sink.Find("var/lib/dpkg/status.d/tzdata"), nullptr);
  EXPECT_NE(sink.Find("var/lib/dpkg/status.d/libc6.md5sums"), nullptr);
  EXPECT_EQ(sink.Find("usr/share/doc/libc6/changelog.Debian.gz"), nullptr);
  EXPECT_NE(sink.Find("usr/share/doc/libc6/copyright"), nullptr);
  EXPECT_EQ(sink.Find("bin/sh"), nullptr);
  EXPECT_EQ(sink.Find("usr/bin/sh"), nullptr);
  // libc6's loader lands under usr/ with merged /usr.
  const char* loader = arch == "amd64" ? "usr/lib64/ld-linux-x86-64.so.2" : "usr/lib/ld-linux-aarch64.so.1";
  EXPECT_NE(sink.Find(loader), nullptr) << loader;
}

INSTANTIATE_TEST_SUITE_P(Archs, RealPackagesTest, ::testing::Values("amd64", "arm64"));

TEST(RealPackagesTest2, WrongSha256IsRefusedAndNothingIsCached) {
  Recipe recipe = StaticRecipe();
  plinth::testing::ScratchDir cache;
  // Share apt lists with the test cache, but not its .debs.
  auto source = MakePackageSource(recipe, plinth::testing::TestDebCache());
  ASSERT_TRUE(source.ok());
  LockFile lock;
  auto pinned = PinPackages(recipe, "amd64", **source, lock, LockUpdate::kKeep);
  ASSERT_TRUE(pinned.ok());
  LockedPackage netbase;
  for (const auto& p : pinned->section.packages) {
    if (p.name == "netbase") netbase = p;
  }
  netbase.sha256 = std::string(64, '0');
  auto fresh = DebCache::Open(cache.path() + "/debs");
  ASSERT_TRUE(fresh.ok());
  AptDriver apt(plinth::testing::TestDebCache(), DefaultSources(*FindSystemMirrors(), "bookworm"), "amd64", kDebianKeyring);
  auto status = apt.Download({netbase}, *fresh);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(status.error().message().find("package netbase"), std::string::npos) << status.error().message();
  EXPECT_NE(status.error().message().find("sha256 mismatch"), std::string::npos);
  EXPECT_FALSE(fresh->Has(netbase.sha256));
}

TEST(RealPackagesTest2, OfflineIndexIsCheckedWithGpgv) {
  Recipe recipe = StaticRecipe();
  auto source = MakePackageSource(recipe, plinth::testing::TestDebCache());
  ASSERT_TRUE(source.ok());
  ASSERT_TRUE((*source)->LoadIndex("amd64", RefreshPolicy::kIfMissing).ok());
  // Use what apt fetched as an air-gapped index: InRelease + Packages of bookworm main.
  AptDriver apt(plinth::testing::TestDebCache(), DefaultSources(*FindSystemMirrors(), "bookworm"), "amd64", kDebianKeyring);
  auto files = apt.PackagesFiles();
  ASSERT_TRUE(files.ok());
  std::string packages;
  for (const auto& f : *files) {
    if (f.find("_dists_bookworm_main_") != std::string::npos) packages = f;
  }
  ASSERT_FALSE(packages.empty());
  std::string inrelease = packages.substr(0, packages.find("_main_")) + "_InRelease";
  auto text = VerifyRelease(inrelease, "");
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  auto release = ReleaseFile::Parse(*text, inrelease);
  ASSERT_TRUE(release.ok());
  EXPECT_EQ(release->codename, "bookworm");
  EXPECT_TRUE(CheckListed(*release, packages).ok());

  // A tampered InRelease fails the signature check; a tampered Packages is not listed.
  plinth::testing::ScratchDir dir;
  std::string bad = *ReadFile(inrelease);
  bad.replace(bad.find("Codename: bookworm"), 18, "Codename: bookwarm");
  plinth::testing::WriteTestFile(dir / "InRelease", bad);
  auto refused = VerifyRelease(dir / "InRelease", "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kIntegrity);
  plinth::testing::WriteTestFile(dir / "Packages", "Package: evil\nVersion: 1\nArchitecture: amd64\n");
  auto unlisted = CheckListed(*release, dir / "Packages");
  ASSERT_FALSE(unlisted.ok());
  EXPECT_NE(unlisted.error().message().find("not listed in the signed Release"), std::string::npos);
}

// A Packages file cut short (a full disk, a killed copy) used to load as an index that lacked
// base-files. apt itself would keep it: its InRelease did not change. It is fetched again.
TEST(RealPackagesTest2, DamagedIndexIsFetchedAgain) {
  Recipe recipe = StaticRecipe();
  auto shared = MakePackageSource(recipe, plinth::testing::TestDebCache());
  ASSERT_TRUE(shared.ok());
  ASSERT_TRUE((*shared)->LoadIndex("amd64", RefreshPolicy::kIfMissing).ok());
  AptDriver apt(plinth::testing::TestDebCache(), DefaultSources(*FindSystemMirrors(), "bookworm"), "amd64",
                kDebianKeyring);
  plinth::testing::ScratchDir cache;
  AptDriver copy(cache.path(), DefaultSources(*FindSystemMirrors(), "bookworm"), "amd64",
                 kDebianKeyring);
  {
    // A copy of the shared cache's lists, taken as a reader so no update is under way.
    auto lock = FileLock::Acquire(apt.root() + "/lock", FileLock::Mode::kShared);
    ASSERT_TRUE(lock.ok());
    std::filesystem::create_directories(copy.root());
    for (const char* part : {"/lists", "/lists.complete", "/sources.list", "/empty"})
      std::filesystem::copy(apt.root() + part, copy.root() + part,
                            std::filesystem::copy_options::recursive);
  }
  auto files = copy.PackagesFiles();
  ASSERT_TRUE(files.ok()) << files.error().ToString();
  std::string main_packages;
  for (const auto& f : *files) {
    if (f.find("_dists_bookworm_main_") != std::string::npos) main_packages = f;
  }
  ASSERT_FALSE(main_packages.empty());
  std::filesystem::resize_file(main_packages, 200000);
  auto unreadable = copy.LoadIndex();
  ASSERT_FALSE(unreadable.ok());
  EXPECT_NE(unreadable.error().message().find("half-written"), std::string::npos)
      << unreadable.error().message();

  auto source = MakePackageSource(recipe, cache.path());
  ASSERT_TRUE(source.ok());
  auto index = (*source)->LoadIndex("amd64", RefreshPolicy::kIfMissing);
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  EXPECT_NE(index->Versions("base-files"), nullptr);
  EXPECT_GT(std::filesystem::file_size(main_packages), 200000u);
}

}  // namespace
}  // namespace plinth::debian
