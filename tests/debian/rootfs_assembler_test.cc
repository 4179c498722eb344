#include "debian/rootfs_assembler.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "debian/deb_archive.h"
#include "debian/deb_fixture_support.h"
#include "debian/recording_sink_support.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::debian {
namespace {

using testing::FixtureDeb;
using testing::RecordingSink;

class RootfsAssemblerTest : public ::testing::Test {
 protected:
  Recipe MakeRecipe(const std::string& extra = "") {
    auto r = ParseRecipe(YAML::Load("name: t\nsuite: bookworm\npackages: [hello]\n" + extra), "t.yaml");
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return *r;
  }

  PackageFile Deb(const FixtureDeb& deb) {
    std::string path = dir_ / (deb.name + ".deb");
    std::string sha = testing::WriteDeb(path, deb);
    return {{deb.name, deb.version, deb.arch, sha, 0, "pool/" + deb.name + ".deb"}, path};
  }

  Result<AssembleReport> Assemble(const Recipe& recipe, std::vector<PackageFile> debs,
                                  const std::string& arch = "amd64", bool over_image = false) {
    AssembleOptions options;
    options.arch = arch;
    options.over_image = over_image;
    options.tmp_dir = dir_.path();
    options.jobs = 2;
    sink_ = RecordingSink();
    return AssembleRootfs(recipe, debs, options, &sink_);
  }

  plinth::testing::ScratchDir dir_;
  RecordingSink sink_;
};

TEST_F(RootfsAssemblerTest, WritesSkeletonUsersAndRecords) {
  FixtureDeb hello;
  hello.entries = {{"./", 'd'},
                   {"./bin/", 'd'},
                   {"./bin/hello", 'f', testing::ElfHead(62), 0755},
                   {"./usr/share/doc/hello/changelog.gz", 'f', "old news"},
                   {"./usr/share/doc/hello/copyright", 'f', "GPL"},
                   {"./usr/share/man/man1/hello.1.gz", 'f', "manual"},
                   {"./usr/share/ca-certificates/mozilla/B.crt", 'f', "-----B-----"},
                   {"./usr/share/ca-certificates/mozilla/A.crt", 'f', "-----A-----\n"},
                   {"./etc/passwd", 'f', "evil:x:0:0::/:/bin/sh\n"},
                   {"./lib/libhello.so.1", 'f', "lib"},
                   {"./lib/libhello.so", 'l', "libhello.so.1"},
                   {"./usr/bin/hi", 'h', "./bin/hello"}};
  auto report = Assemble(MakeRecipe(), {Deb(hello)});
  ASSERT_TRUE(report.ok()) << report.error().ToString();

  // Merged /usr: /bin is a link and the package's files land under usr/.
  ASSERT_NE(sink_.Find("bin"), nullptr);
  EXPECT_EQ(sink_.Find("bin")->entry.type, EntryType::kSymlink);
  ASSERT_NE(sink_.Find("usr/bin/hello"), nullptr);
  EXPECT_EQ(sink_.Find("usr/bin/hello")->entry.mode, 0755u);
  ASSERT_NE(sink_.Find("usr/lib/libhello.so"), nullptr);
  EXPECT_EQ(sink_.Find("usr/bin/hi")->entry.link_target, "usr/bin/hello");
  EXPECT_EQ(sink_.Find("usr/bin/hi")->entry.type, EntryType::kHardlink);
  // Docs and man pages dropped, copyright kept.
  EXPECT_EQ(sink_.Find("usr/share/doc/hello/changelog.gz"), nullptr);
  EXPECT_EQ(sink_.Find("usr/share/man/man1/hello.1.gz"), nullptr);
  EXPECT_NE(sink_.Find("usr/share/doc/hello/copyright"), nullptr);
  // Generated files win over a package's.
  EXPECT_EQ(sink_.Find("etc/passwd")->data,
            "root:x:0:0:root:/root:/sbin/nologin\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
            "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
  EXPECT_NE(sink_.Find("etc/group")->data.find("nonroot:x:65532:"), std::string::npos);
  EXPECT_EQ(sink_.Find("tmp")->entry.mode, 01777u);
  EXPECT_EQ(sink_.Find("home/nonroot")->entry.uid, 65532u);
  // CA bundle: certificates in path order, each newline-terminated.
  EXPECT_EQ(sink_.Find("etc/ssl/certs/ca-certificates.crt")->data, "-----A-----\n-----B-----\n");
  EXPECT_EQ(report->certificates, 2u);
  // dpkg record as distroless writes it.
  const auto* record = sink_.Find("var/lib/dpkg/status.d/hello");
  ASSERT_NE(record, nullptr);
  EXPECT_NE(record->data.find("Package: hello\nVersion: 1.0-1\nArchitecture: amd64\n"), std::string::npos);
  // No shell was made up.
  EXPECT_EQ(sink_.Find("usr/bin/sh"), nullptr);
}

TEST_F(RootfsAssemblerTest, RefusesForeignElf) {
  FixtureDeb deb;
  deb.arch = "arm64";
  deb.entries = {{"./usr/bin/hello", 'f', testing::ElfHead(62), 0755}};
  auto report = Assemble(MakeRecipe(), {Deb(deb)}, "arm64");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message().find("/usr/bin/hello is an ELF file for x86-64, but the image is arm64 (aarch64)"),
            std::string::npos) << report.error().message();
}

TEST_F(RootfsAssemblerTest, RefusesDotDotNames) {
  FixtureDeb deb;
  deb.entries = {{"./usr/../../etc/evil", 'f', "x"}};
  auto report = Assemble(MakeRecipe(), {Deb(deb)});
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message().find("unpacking hello 1.0-1"), std::string::npos);
  EXPECT_NE(report.error().message().find("escapes its root"), std::string::npos) << report.error().message();
}

TEST_F(RootfsAssemblerTest, RefusesAbsoluteNamesAndEscapingSymlinks) {
  FixtureDeb abs;
  abs.entries = {{"/etc/evil", 'f', "x"}};
  auto r = Assemble(MakeRecipe(), {Deb(abs)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("absolute path '/etc/evil'"), std::string::npos) << r.error().message();

  FixtureDeb link;
  link.entries = {{"./usr/lib/evil", 'l', "../../../../../etc"}};
  r = Assemble(MakeRecipe(), {Deb(link)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("escapes the root"), std::string::npos) << r.error().message();
}

TEST_F(RootfsAssemblerTest, RefusesCorruptDeb) {
  FixtureDeb deb;
  deb.entries = {{"./usr/bin/hello", 'f', std::string(100000, 'x')}};
  PackageFile file = Deb(deb);
  // Flip bytes in the middle of the xz stream.
  std::string bytes = *ReadFile(file.deb_path);
  for (size_t i = bytes.size() - 200; i < bytes.size() - 100; ++i) bytes[i] ^= 0x5a;
  plinth::testing::WriteTestFile(file.deb_path, bytes);
  auto r = Assemble(MakeRecipe(), {file});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity) << r.error().ToString();
  EXPECT_NE(r.error().message().find("unpacking hello 1.0-1"), std::string::npos);

  plinth::testing::WriteTestFile(file.deb_path, "!<arch>\nnot really");
  r = Assemble(MakeRecipe(), {file});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("not a valid .deb"), std::string::npos) << r.error().message();
}

TEST_F(RootfsAssemblerTest, RefusesDebThatIsNotTheLockedPackage) {
  FixtureDeb deb;
  deb.entries = {{"./etc/hello", 'f', "x"}};
  PackageFile file = Deb(deb);
  file.package.version = "2.0-1";
  auto r = Assemble(MakeRecipe(), {file});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("the .deb is hello 1.0-1 amd64, expected hello 2.0-1 amd64"), std::string::npos)
      << r.error().message();
}

TEST_F(RootfsAssemblerTest, ReadsEveryDataCompression) {
  for (const char* c : {"xz", "gzip", "zstd"}) {
    FixtureDeb deb;
    deb.compression = c;
    deb.entries = {{"./etc/hello.conf", 'f', std::string("compressed with ") + c}};
    RecordingSink sink;
    AssembleOptions options;
    options.arch = "amd64";
    options.tmp_dir = dir_.path();
    auto r = AssembleRootfs(MakeRecipe(), {Deb(deb)}, options, &sink);
    ASSERT_TRUE(r.ok()) << c << ": " << r.error().ToString();
    EXPECT_EQ(sink.Find("etc/hello.conf")->data, std::string("compressed with ") + c);
  }
}

TEST_F(RootfsAssemblerTest, RecipeFilesAndTwoPackagesInNameOrder) {
  FixtureDeb a, b;
  a.name = "aaa";
  a.entries = {{"./usr/lib/jvm/java-17-openjdk-amd64/bin/java", 'f', "java", 0755}, {"./etc/shared", 'f', "from aaa"}};
  b.name = "bbb";
  b.entries = {{"./etc/shared", 'f', "from bbb"}};
  Recipe recipe = MakeRecipe(
      "files:\n"
      "  - path: /usr/bin/java\n"
      "    symlink: /usr/lib/jvm/java-17-openjdk-${ARCH}/bin/java\n"
      "  - path: /etc/app.conf\n"
      "    content: \"arch=${ARCH}\\n\"\n"
      "    mode: \"0600\"\n"
      "    uid: 65532\n");
  auto r = Assemble(recipe, {Deb(a), Deb(b)});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(sink_.Find("usr/bin/java")->entry.link_target, "/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
  EXPECT_EQ(sink_.Find("etc/app.conf")->data, "arch=amd64\n");
  EXPECT_EQ(sink_.Find("etc/app.conf")->entry.mode, 0600u);
  EXPECT_EQ(sink_.Find("etc/shared")->data, "from aaa");
  ASSERT_EQ(r->duplicates.size(), 1u);
  EXPECT_EQ(r->duplicates[0], "/etc/shared (from bbb, kept from aaa)");
}

// A layer over an image (a recipe's `from:`): the image's /etc/passwd, /etc/group and
// nsswitch.conf stay as they are (a package still cannot write them); the packages, their
// status.d records and the recipe's files are the layer.
TEST_F(RootfsAssemblerTest, ALayerOverAnImageLeavesItsUsersAndNsswitchAlone) {
  FixtureDeb server;
  server.name = "server";
  server.entries = {{"./", 'd'},
                    {"./usr/bin/server", 'f', testing::ElfHead(62), 0755},
                    {"./etc/passwd", 'f', "evil:x:0:0::/:/bin/sh\n"}};
  Recipe recipe = MakeRecipe("from: pickme/lucid-base:latest-${ARCH}\n"
                             "files: [{path: /data, directory: true, mode: \"0750\", uid: 65532, gid: 65532}]\n");
  auto report = Assemble(recipe, {Deb(server)}, "amd64", /*over_image=*/true);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(sink_.Find("etc/passwd"), nullptr);
  EXPECT_EQ(sink_.Find("etc/group"), nullptr);
  EXPECT_EQ(sink_.Find("etc/nsswitch.conf"), nullptr);
  ASSERT_NE(sink_.Find("usr/bin/server"), nullptr);
  ASSERT_NE(sink_.Find("var/lib/dpkg/status.d/server"), nullptr);
  ASSERT_NE(sink_.Find("data"), nullptr);
  EXPECT_EQ(sink_.Find("data")->entry.uid, 65532u);
  EXPECT_EQ(sink_.Find("data")->entry.mode, 0750u);
}

TEST(RecipeFromTest, FromIsExpandedPerArchitectureAndIsAResolutionInput) {
  auto plain = ParseRecipe(YAML::Load("name: t\nsuite: bookworm\npackages: [redis-server]\n"), "t.yaml");
  auto layered = ParseRecipe(YAML::Load("name: t\nsuite: bookworm\nfrom: pickme/base:latest-${ARCH}\n"
                                        "packages: [redis-server]\n"),
                             "t.yaml");
  ASSERT_TRUE(plain.ok() && layered.ok());
  EXPECT_EQ(plain->FromFor("arm64"), "");
  EXPECT_EQ(layered->FromFor("arm64"), "pickme/base:latest-arm64");
  // A recipe without `from` keeps the inputs it had (its locks stay valid).
  EXPECT_EQ(plain->ResolutionInputs("amd64"), plain->ResolutionInputs("amd64", "ignored"));
  EXPECT_NE(layered->ResolutionInputs("amd64", "a"), layered->ResolutionInputs("amd64", "b"));
  EXPECT_NE(layered->ResolutionInputs("amd64", "a"), plain->ResolutionInputs("amd64"));
}

TEST(RecipeFromTest, AnEmptyOrMalformedFromIsRefusedAtItsLine) {
  for (const char* bad : {"from: \"\"\n", "from: \"Not A Reference!\"\n"}) {
    auto r = ParseRecipe(YAML::Load(std::string("name: t\nsuite: bookworm\npackages: [x]\n") + bad), "t.yaml");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().ExitCode(), 2);
    EXPECT_EQ(r.error().location().line, 4) << r.error().ToString();
  }
}

}  // namespace
}  // namespace plinth::debian
