#include "debian/resolver.h"

#include <gtest/gtest.h>

#include "support/test_env.h"

namespace plinth::debian {
namespace {

// A small archive written inline: the shapes that matter in bookworm (alternatives, virtual
// packages, versioned Provides, Essential, :any, conflicts).
const char* kPackages = R"(Package: python3
Version: 3.11.2-1+b1
Architecture: amd64
Multi-Arch: allowed
Depends: python3.11 (>= 3.11.2-1~), libpython3-stdlib (= 3.11.2-1+b1)
Filename: pool/main/p/python3/python3_3.11.2-1+b1_amd64.deb
SHA256: 1111111111111111111111111111111111111111111111111111111111111111
Size: 26

Package: python3.11
Version: 3.11.2-6
Architecture: amd64
Depends: libpython3.11-stdlib (= 3.11.2-6), mime-support | media-types, tzdata
Pre-Depends: libc6 (>= 2.36)

Package: python3.11
Version: 3.11.1-1
Architecture: amd64
Depends: libc6

Package: libpython3-stdlib
Version: 3.11.2-1+b1
Architecture: amd64
Multi-Arch: same
Depends: libpython3.11-stdlib (>= 3.11.2-1~)

Package: libpython3.11-stdlib
Version: 3.11.2-6
Architecture: amd64
Depends: libc6 (>= 2.34), libssl3 (>= 3.0.0), dpkg (>= 1.17.11), debconf (>= 0.5) | debconf-2.0

Package: libc6
Version: 2.36-9+deb12u4
Architecture: amd64
Multi-Arch: same

Package: libc6
Version: 2.31-13
Architecture: amd64

Package: libssl3
Version: 3.0.11-1~deb12u2
Architecture: amd64
Depends: libc6 (>= 2.34)

Package: media-types
Version: 10.0.0
Architecture: all

Package: tzdata
Version: 2024a-0+deb12u1
Architecture: all
Depends: debconf (>= 0.5) | debconf-2.0

Package: dpkg
Version: 1.21.22
Architecture: amd64
Essential: yes
Depends: tar (>= 1.28-1)

Package: debconf
Version: 1.5.82
Architecture: all
Depends: perl-base (>= 5.20.1-3~)
Provides: debconf-2.0

Package: perl-base
Version: 5.36.0-7+deb12u1
Architecture: amd64
Essential: yes

Package: cdebconf
Version: 0.270
Architecture: amd64
Provides: debconf-2.0

Package: mawk
Version: 1.3.4
Architecture: amd64
Provides: awk

Package: gawk
Version: 1:5.2.1-2
Architecture: amd64
Provides: awk

Package: needs-awk
Version: 1
Architecture: all
Depends: awk

Package: needs-newer-libc
Version: 1
Architecture: amd64
Depends: libc6 (>= 3.0)

Package: pins-old-libc
Version: 1
Architecture: amd64
Depends: libc6 (= 2.31-13)

Package: wants-new-libc
Version: 1
Architecture: amd64
Depends: libc6 (>= 2.36)

Package: java-thing
Version: 1
Architecture: all
Depends: java17-runtime-headless (>= 17)

Package: openjdk-17-jre-headless
Version: 17.0.10+7-1~deb12u1
Architecture: amd64
Provides: java17-runtime-headless

Package: vjdk
Version: 17.0.10
Architecture: amd64
Provides: java17-runtime-headless (= 17.1)

Package: fights-mawk
Version: 1
Architecture: all
Conflicts: mawk
Depends: mawk-user

Package: mawk-user
Version: 1
Architecture: all
Depends: mawk

Package: libc-or-musl
Version: 1
Architecture: amd64
Depends: libc6 (>= 2.36) | musl

Package: musl
Version: 1.2.3-1
Architecture: amd64

Package: any-user
Version: 1
Architecture: all
Depends: python3:any, libc6:arm64 | libssl3
)";

class ResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteTestFile(dir_ / "Packages", kPackages);
    ASSERT_TRUE(index_.LoadFile(dir_ / "Packages").ok());
  }

  Result<Resolution> Run(std::vector<std::string> roots, std::set<std::string> excludes = {}) {
    ResolveOptions options;
    options.roots = std::move(roots);
    options.excludes = std::move(excludes);
    return Resolve(index_, options);
  }

  static std::vector<std::string> Names(const Resolution& r) {
    std::vector<std::string> out;
    for (const auto* p : r.packages) out.push_back(p->name + "=" + p->version.str());
    return out;
  }

  testing::ScratchDir dir_;
  PackageIndex index_{"amd64"};
};

TEST_F(ResolverTest, FollowsDependsWithVersionsAndAlternatives) {
  auto r = Run({"python3"}, {"debconf", "perl-base"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(Names(*r), (std::vector<std::string>{
                           "libc6=2.36-9+deb12u4", "libpython3-stdlib=3.11.2-1+b1",
                           "libpython3.11-stdlib=3.11.2-6", "libssl3=3.0.11-1~deb12u2",
                           "media-types=10.0.0", "python3=3.11.2-1+b1", "python3.11=3.11.2-6",
                           "tzdata=2024a-0+deb12u1"}));
  // dpkg is Essential and debconf excluded: both are left out, and said so.
  EXPECT_TRUE(r->dropped.count("dpkg"));
  EXPECT_TRUE(r->dropped.count("debconf"));
  EXPECT_EQ(r->why.at("libssl3"), "(recipe) -> python3 -> python3.11 -> libpython3.11-stdlib -> libssl3");
}

TEST_F(ResolverTest, VirtualPackageTakesFirstProviderByName) {
  auto r = Run({"needs-awk"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"gawk=1:5.2.1-2", "needs-awk=1"}));
  // An already selected provider wins.
  r = Run({"mawk", "needs-awk"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"mawk=1.3.4", "needs-awk=1"}));
}

TEST_F(ResolverTest, VersionedDependencyOnVirtualNeedsVersionedProvides) {
  auto r = Run({"java-thing"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"java-thing=1", "vjdk=17.0.10"}));
}

TEST_F(ResolverTest, ExcludedAlternativeSatisfiesGroup) {
  auto r = Run({"tzdata"}, {"debconf"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"tzdata=2024a-0+deb12u1"}));
  // Without the exclusion, debconf's dependency on Essential perl-base is still taken as met.
  r = Run({"tzdata"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"debconf=1.5.82", "tzdata=2024a-0+deb12u1"}));
}

TEST_F(ResolverTest, RootPinnedToOlderVersion) {
  auto r = Run({"python3.11=3.11.1-1"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"libc6=2.36-9+deb12u4", "python3.11=3.11.1-1"}));
}

TEST_F(ResolverTest, RepicksWhenALaterRelationNarrowsTheRange) {
  auto r = Run({"pins-old-libc"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"libc6=2.31-13", "pins-old-libc=1"}));
}

TEST_F(ResolverTest, UnsatisfiableVersionNamesTheChain) {
  auto r = Run({"needs-newer-libc"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kFailed);
  EXPECT_NE(r.error().message().find("(recipe) -> needs-newer-libc depends on libc6 (>= 3.0)"),
            std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("available: 2.36-9+deb12u4, 2.31-13"), std::string::npos);
}

TEST_F(ResolverTest, ContradictoryRelationsNameBothChains) {
  auto r = Run({"wants-new-libc", "pins-old-libc"});
  ASSERT_FALSE(r.ok());
  const std::string& m = r.error().message();
  EXPECT_NE(m.find("(recipe) -> pins-old-libc depends on libc6 (= 2.31-13)"), std::string::npos) << m;
  EXPECT_NE(m.find("(recipe) -> wants-new-libc requires libc6 (>= 2.36)"), std::string::npos) << m;
}

TEST_F(ResolverTest, ConflictsAreRefused) {
  auto r = Run({"fights-mawk"});
  ASSERT_FALSE(r.ok());
  const std::string& m = r.error().message();
  EXPECT_NE(m.find("fights-mawk 1 conflicts with mawk"), std::string::npos) << m;
  EXPECT_NE(m.find("mawk comes from (recipe) -> fights-mawk -> mawk-user -> mawk"), std::string::npos) << m;
}

TEST_F(ResolverTest, ArchQualifiers) {
  auto r = Run({"any-user"}, {"debconf"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  // libc6:arm64 cannot be met on amd64, so the libssl3 alternative is taken.
  auto names = Names(*r);
  EXPECT_NE(std::find(names.begin(), names.end(), "libssl3=3.0.11-1~deb12u2"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "python3=3.11.2-1+b1"), names.end());
}

TEST_F(ResolverTest, UnknownPackage) {
  auto r = Run({"no-such-thing"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("no package 'no-such-thing'"), std::string::npos);
}

TEST(DependencyTest, ParsesFields) {
  auto g = ParseDependencies("libc6 (>= 2.34), debconf (>= 0.5) | debconf-2.0, python3:any, foo [amd64] <!nocheck>,");
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  ASSERT_EQ(g->size(), 4u);
  EXPECT_EQ((*g)[0][0].op, VersionOp::kGreaterEqual);
  EXPECT_EQ((*g)[1].size(), 2u);
  EXPECT_EQ((*g)[2][0].arch_qualifier, "any");
  EXPECT_EQ(GroupToString((*g)[1]), "debconf (>= 0.5) | debconf-2.0");
  EXPECT_FALSE(ParseDependencies("libc6 (>= 2.34").ok());
  EXPECT_FALSE(ParseDependencies("libc6 (2.34)").ok());
}

}  // namespace
}  // namespace plinth::debian

namespace plinth::debian {
namespace {

// A layered recipe (`from:`): packages of the image underneath meet relations and are not
// installed again; one that is too old to meet a relation is an error, not a second copy.
class PresentPackagesTest : public ResolverTest {
 protected:
  static PresentPackage Present(const std::string& name, const std::string& version,
                                const std::string& provides = "") {
    PresentPackage p{name, *DpkgVersion::Parse(version), *ParseAtomList(provides)};
    return p;
  }
  Result<Resolution> RunOver(std::vector<std::string> roots, std::vector<PresentPackage> present) {
    ResolveOptions options;
    options.roots = std::move(roots);
    options.excludes = {"debconf", "perl-base"};
    options.present = std::move(present);
    return Resolve(index_, options);
  }
};

TEST_F(PresentPackagesTest, InstallsOnlyWhatTheImageUnderneathLacks) {
  auto r = RunOver({"python3"}, {Present("libc6", "2.36-9+deb12u4"), Present("libssl3", "3.0.11-1~deb12u2"),
                                 Present("tzdata", "2024a-0+deb12u1")});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"libpython3-stdlib=3.11.2-1+b1",
                                                  "libpython3.11-stdlib=3.11.2-6",
                                                  "media-types=10.0.0", "python3=3.11.2-1+b1",
                                                  "python3.11=3.11.2-6"}));
  EXPECT_EQ(r->present, (std::set<std::string>{"libc6", "libssl3", "tzdata"}));
}

TEST_F(PresentPackagesTest, ARootTheImageHasIsNotInstalledAgain) {
  auto r = RunOver({"libssl3"}, {Present("libc6", "2.36-9+deb12u4"), Present("libssl3", "3.0.11-1~deb12u2")});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->packages.empty());
}

TEST_F(PresentPackagesTest, AVirtualPackageTheImageProvidesIsMet) {
  auto r = RunOver({"needs-awk"}, {Present("original-awk", "1", "awk")});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"needs-awk=1"}));
}

TEST_F(PresentPackagesTest, APackageUnderneathTooOldForARelationIsAnError) {
  auto r = RunOver({"wants-new-libc"}, {Present("libc6", "2.31-13")});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("the image underneath has libc6 2.31-13"), std::string::npos)
      << r.error().message();
  EXPECT_NE(r.error().message().find("wants-new-libc"), std::string::npos);
}

TEST_F(PresentPackagesTest, APackageConflictingWithOneUnderneathIsAnError) {
  auto r = RunOver({"fights-mawk"}, {Present("mawk", "1.3.4")});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("fights-mawk 1 conflicts with mawk, which the image underneath "
                                     "has (mawk 1.3.4)"),
            std::string::npos)
      << r.error().message();
}

TEST_F(PresentPackagesTest, AnotherAlternativeIsTakenWhenTheOneUnderneathIsTooOld) {
  auto r = RunOver({"libc-or-musl"}, {Present("libc6", "2.31-13")});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(Names(*r), (std::vector<std::string>{"libc-or-musl=1", "musl=1.2.3-1"}));
}

}  // namespace
}  // namespace plinth::debian
