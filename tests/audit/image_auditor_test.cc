// AuditImage: for every rule, an image made here that breaks it and one that passes; how the
// policy turns rules on and off; suppressions; the cap on findings per rule.
#include "audit/image_auditor.h"

#include <gtest/gtest.h>

#include <set>

#include "audit/audit_image_support.h"
#include "audit/elf_support.h"

namespace plinth::audit {
namespace {

using testing::Dir;
using testing::ElfSpec;
using testing::File;
using testing::ImageMaker;
using testing::MakeElf;
using testing::Member;
using testing::Symlink;
using testing::Whiteout;

const std::string kLoader = "/lib64/ld-linux-x86-64.so.2";

// A small image that passes every rule: users, a static server, a dynamic program with its
// loader and libc, a sticky /tmp.
std::vector<Member> CleanTree() {
  return {Dir("etc"),
          File("etc/passwd",
               "root:x:0:0:root:/root:/sbin/nologin\n"
               "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"),
          File("etc/group", "root:x:0:\nnonroot:x:65532:\n"),
          File("etc/shadow", "root:*:19000:0:99999:7:::\nnonroot:!:19000::::::\n", 0640),
          Dir("tmp", 01777),
          Dir("app"),
          File("app/server", MakeElf({}), 0755),
          Dir("usr"),
          Dir("usr/bin"),
          File("usr/bin/hello", MakeElf({.interpreter = kLoader, .needed = {"libc.so.6"}}), 0755),
          Dir("lib"),
          Dir("lib/x86_64-linux-gnu"),
          File("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", MakeElf({}), 0755),
          File("lib/x86_64-linux-gnu/libc.so.6", MakeElf({.needed = {}}), 0755),
          Dir("lib64"),
          Symlink("lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")};
}

class ImageAuditorTest : public ::testing::Test {
 protected:
  oci::Image Clean() {
    oci::Image image = maker_.Add(maker_.Scratch(), CleanTree());
    image.config.config.user = "65532";
    image.config.config.entrypoint = std::vector<std::string>{"/app/server"};
    image.config.config.env = {"PATH=/usr/local/bin:/usr/bin:/bin"};
    return image;
  }
  AuditResult Audit(const oci::Image& image, const AuditPolicy& policy = {}) {
    auto manifest = maker_.Store(image, "audit:test");
    auto result = AuditImage(maker_.store(), manifest, "audit:test", policy);
    EXPECT_TRUE(result) << result.error().ToString();
    return result ? *result : AuditResult{};
  }
  // Codes of the findings at least as severe as a warning, with the paths they name.
  static std::set<std::string> Codes(const AuditResult& r, Severity at_least = Severity::kWarning) {
    std::set<std::string> codes;
    for (const auto& f : r.findings)
      if (AtLeast(f.severity, at_least))
        codes.insert(f.code + (f.path.empty() ? "" : " " + f.path));
    return codes;
  }
  static std::string Messages(const AuditResult& r) {
    std::string out;
    for (const auto& f : r.findings) out += f.code + " " + f.path + ": " + f.message + "\n";
    return out;
  }
  ImageMaker maker_;
};

TEST_F(ImageAuditorTest, ACleanImagePassesEveryRule) {
  AuditResult r = Audit(Clean(), {.user = UserPolicy::kSeedNonRoot, .size_budget = 1 << 20});
  EXPECT_TRUE(r.findings.empty()) << Messages(r);
  EXPECT_EQ(r.platform, "linux/amd64");
  EXPECT_GT(r.compressed_size, 0);
  EXPECT_GT(r.files, 10u);
}

// PA101, PA102, PA103
TEST_F(ImageAuditorTest, TheUserMustResolveToANonRootUid) {
  oci::Image image = Clean();
  image.config.config.user = "";
  EXPECT_EQ(Codes(Audit(image)), std::set<std::string>{"PA101"});
  image.config.config.user = "root";
  EXPECT_EQ(Codes(Audit(image)), std::set<std::string>{"PA101"});
  image.config.config.user = "0:0";
  EXPECT_EQ(Codes(Audit(image)), std::set<std::string>{"PA101"});
  // A tier that says `user: any` allows root.
  EXPECT_TRUE(Codes(Audit(image, {.user = UserPolicy::kAny})).empty());

  image.config.config.user = "nonroot";
  EXPECT_TRUE(Codes(Audit(image, {.user = UserPolicy::kSeedNonRoot})).empty());
  image.config.config.user = "ghost";
  EXPECT_EQ(Codes(Audit(image)), std::set<std::string>{"PA103 etc/passwd"});
  image.config.config.user = "65532:ghosts";
  EXPECT_EQ(Codes(Audit(image)), std::set<std::string>{"PA103 etc/group"});
  image.config.config.user = "1000";
  EXPECT_TRUE(Codes(Audit(image)).empty());
  EXPECT_EQ(Codes(Audit(image, {.user = UserPolicy::kSeedNonRoot})),
            std::set<std::string>{"PA102"});

  // A name that resolves to uid 0 is root, whatever it is called.
  oci::Image sneaky = maker_.Add(Clean(), {File("etc/passwd", "admin:x:0:0::/:/sbin/nologin\n")});
  sneaky.config.config.user = "admin";
  AuditResult r = Audit(sneaky);
  EXPECT_EQ(Codes(r), std::set<std::string>{"PA101"});
  EXPECT_NE(Messages(r).find("uid 0"), std::string::npos) << Messages(r);
}

// PA110
TEST_F(ImageAuditorTest, AShellIsFoundByNameAndByContent) {
  std::string busybox = MakeElf({.trailer = std::string("\0BusyBox v1.36.1 (Debian)\0", 26)});
  oci::Image image = maker_.Add(
      Clean(),
      {File("usr/bin/tool", busybox, 0755), File("usr/bin/dash", "#!nothing\n", 0755),
       Symlink("usr/bin/bash", "tool"), Dir("usr/share"),
       File("usr/share/sh", "not a program\n", 0644), Symlink("usr/bin/zsh", "/usr/bin/missing")});
  AuditResult r = Audit(image);
  EXPECT_EQ(Codes(r), (std::set<std::string>{"PA110 usr/bin/bash", "PA110 usr/bin/dash",
                                             "PA110 usr/bin/tool"}))
      << Messages(r);
  EXPECT_NE(Messages(r).find("busybox (by its content)"), std::string::npos) << Messages(r);
  EXPECT_TRUE(Codes(Audit(image, {.forbid_shell = false})).empty());
  // A busybox that is not executable is data: nothing runs it.
  EXPECT_EQ(Codes(Audit(maker_.Add(Clean(), {File("app/blob", busybox, 0644)}))),
            std::set<std::string>{});
}

// A hard link shares its target's content: a link to busybox is busybox, a link called sh is a
// shell by name.
TEST_F(ImageAuditorTest, HardLinksAreJudgedByTheirTargetsContent) {
  std::string busybox = MakeElf({.trailer = "BusyBox is a multi-call binary"});
  oci::Image image = maker_.Add(Clean(), {File("app/tool", busybox, 0755),
                                          testing::HardLink("app/renamed", "app/tool"),
                                          File("app/plain", "#!nothing\n", 0755),
                                          testing::HardLink("usr/bin/sh", "app/plain")});
  AuditResult r = Audit(image);
  EXPECT_EQ(Codes(r), (std::set<std::string>{"PA110 app/renamed", "PA110 app/tool",
                                             "PA110 usr/bin/sh"}))
      << Messages(r);
}

// PA111
TEST_F(ImageAuditorTest, APackageManagerIsFoundByNameAndByContent) {
  std::string dpkg = MakeElf({.trailer = "Debian '%s' package management program version %s."});
  oci::Image image = maker_.Add(
      Clean(),
      {File("usr/bin/dpkg", "#!/usr/bin/perl\n", 0755), File("usr/bin/renamed", dpkg, 0755),
       File("usr/bin/pip3.11", "#!/usr/bin/python3\n", 0755),
       File("usr/local/bin/installer",
            "#!/usr/bin/python3\nimport sys\nfrom pip._internal.cli.main import main\n", 0755)});
  AuditResult r = Audit(image);
  EXPECT_EQ(Codes(r),
            (std::set<std::string>{"PA111 usr/bin/dpkg", "PA111 usr/bin/pip3.11",
                                   "PA111 usr/bin/renamed", "PA111 usr/local/bin/installer"}))
      << Messages(r);
  EXPECT_TRUE(Codes(Audit(image, {.forbid_package_manager = false})).empty());
}

// PA120, PA121
TEST_F(ImageAuditorTest, SetidFilesAndWorldWritablePathsWithoutTheStickyBit) {
  oci::Image image = maker_.Add(
      Clean(), {File("usr/bin/su", MakeElf({}), 04755), File("usr/bin/wall", MakeElf({}), 02755),
                Dir("var", 0755), Dir("var/mail", 02775), Dir("var/drop", 0777),
                File("app/log", "", 0666), Dir("var/shared", 01777)});
  AuditResult r = Audit(image);
  EXPECT_EQ(Codes(r), (std::set<std::string>{"PA120 usr/bin/su", "PA120 usr/bin/wall",
                                             "PA121 app/log", "PA121 var/drop"}))
      << Messages(r);
}

// PA130
TEST_F(ImageAuditorTest, EveryElfFileMatchesTheImagesMachine) {
  oci::Image image =
      maker_.Add(Clean(), {File("app/plugin.so", MakeElf({.machine = testing::kArm64}), 0644),
                           File("app/old32", MakeElf({.machine = 3, .is64 = false}), 0755)});
  AuditResult r = Audit(image);
  EXPECT_EQ(Codes(r), (std::set<std::string>{"PA130 app/old32", "PA130 app/plugin.so"}))
      << Messages(r);
  EXPECT_NE(Messages(r).find("aarch64"), std::string::npos);
  // The same files in an arm64 image: everything else is now the wrong machine.
  oci::Image arm = maker_.Add(maker_.Scratch("arm64"),
                              {File("app/server", MakeElf({.machine = testing::kArm64}), 0755)});
  arm.config.config.user = "65532";
  arm.config.config.entrypoint = std::vector<std::string>{"/app/server"};
  EXPECT_TRUE(Codes(Audit(arm)).empty()) << Messages(Audit(arm));
}

// PA131
TEST_F(ImageAuditorTest, EntrypointCmdAndHealthcheckResolveToExecutables) {
  oci::Image image = Clean();
  image.config.config.entrypoint = std::vector<std::string>{"/app/missing"};
  EXPECT_EQ(Codes(Audit(image)), std::set<std::string>{"PA131"});
  image.config.config.entrypoint.reset();
  image.config.config.cmd = std::vector<std::string>{"/bin/sh", "-c", "/app/server"};
  EXPECT_EQ(Codes(Audit(image)), std::set<std::string>{"PA131"});
  // A bare name is looked up in the config's PATH.
  image.config.config.cmd = std::vector<std::string>{"hello", "--loud"};
  EXPECT_TRUE(Codes(Audit(image)).empty()) << Messages(Audit(image));
  image.config.config.env = {"PATH=/app"};
  EXPECT_EQ(Codes(Audit(image)), std::set<std::string>{"PA131"});
  image.config.config.cmd = std::vector<std::string>{"server"};
  EXPECT_TRUE(Codes(Audit(image)).empty());
  // A file that is not executable does not run.
  oci::Image data = maker_.Add(Clean(), {File("app/run", MakeElf({}), 0644)});
  data.config.config.entrypoint = std::vector<std::string>{"/app/run"};
  EXPECT_EQ(Codes(Audit(data)), std::set<std::string>{"PA131"});
  // A relative path is taken from the working folder.
  data.config.config.entrypoint = std::vector<std::string>{"./server"};
  data.config.config.working_dir = "/app";
  EXPECT_TRUE(Codes(Audit(data)).empty()) << Messages(Audit(data));

  oci::Image health = Clean();
  health.config.config.healthcheck = oci::HealthConfig{.test = {"CMD", "/app/check"}};
  AuditResult r = Audit(health);
  EXPECT_EQ(Codes(r), std::set<std::string>{"PA131"});
  EXPECT_NE(Messages(r).find("HEALTHCHECK"), std::string::npos);
  health.config.config.healthcheck = oci::HealthConfig{.test = {"CMD-SHELL", "curl localhost"}};
  EXPECT_EQ(Codes(Audit(health)), std::set<std::string>{"PA131"});
  health.config.config.healthcheck = oci::HealthConfig{.test = {"CMD", "/usr/bin/hello"}};
  EXPECT_TRUE(Codes(Audit(health)).empty());
}

// PA132
TEST_F(ImageAuditorTest, TheProgramsInterpreterMustBeThere) {
  oci::Image image = maker_.Add(
      Clean(),
      {File("app/glibc-tool",
            MakeElf({.interpreter = "/lib/ld-musl-x86_64.so.1", .needed = {"libc.so"}}), 0755),
       File("app/script.py", "#!/usr/bin/python3\nprint('hi')\n", 0755),
       File("app/env.py", "#!/usr/bin/env python3\nprint('hi')\n", 0755),
       File("usr/bin/env", MakeElf({}), 0755)});
  image.config.config.entrypoint = std::vector<std::string>{"/app/glibc-tool"};
  AuditResult r = Audit(image);
  EXPECT_EQ(Codes(r), std::set<std::string>{"PA132 app/glibc-tool"}) << Messages(r);
  image.config.config.entrypoint = std::vector<std::string>{"/app/script.py"};
  EXPECT_EQ(Codes(Audit(image)), std::set<std::string>{"PA132 app/script.py"});
  image.config.config.entrypoint = std::vector<std::string>{"/app/env.py"};
  EXPECT_EQ(Codes(Audit(image)), std::set<std::string>{"PA132 app/env.py"});
  oci::Image with_python = maker_.Add(image, {File("usr/bin/python3", MakeElf({}), 0755)});
  EXPECT_TRUE(Codes(Audit(with_python)).empty()) << Messages(Audit(with_python));
}

// PA133
TEST_F(ImageAuditorTest, EveryNeededLibraryIsWhereTheLoaderLooks) {
  oci::Image image = maker_.Add(
      Clean(),
      {File("app/tls", MakeElf({.interpreter = kLoader, .needed = {"libssl.so.3", "libc.so.6"}}),
            0755)});
  image.config.config.entrypoint = std::vector<std::string>{"/app/tls"};
  AuditResult r = Audit(image);
  EXPECT_EQ(Codes(r), std::set<std::string>{"PA133 app/tls"});
  EXPECT_NE(Messages(r).find("libssl.so.3"), std::string::npos);

  // In a folder of its DT_RUNPATH ($ORIGIN expanded) it is found; its own needs are followed.
  oci::Image runpath = maker_.Add(
      Clean(),
      {File("app/tls",
            MakeElf({.interpreter = kLoader, .needed = {"libssl.so.3"}, .runpath = "$ORIGIN/lib"}),
            0755),
       Dir("app/lib"), File("app/lib/libssl.so.3", MakeElf({.needed = {"libcrypto.so.3"}}), 0644)});
  runpath.config.config.entrypoint = std::vector<std::string>{"/app/tls"};
  r = Audit(runpath);
  EXPECT_EQ(Codes(r), std::set<std::string>{"PA133 app/lib/libssl.so.3"}) << Messages(r);
  EXPECT_NE(Messages(r).find("libcrypto.so.3"), std::string::npos);

  // A folder named by /etc/ld.so.conf.d is searched; a library for another machine is not it.
  oci::Image conf = maker_.Add(
      runpath, {Dir("etc/ld.so.conf.d"), File("etc/ld.so.conf.d/opt.conf", "# ours\n/opt/lib\n"),
                Dir("opt"), Dir("opt/lib"),
                File("opt/lib/libcrypto.so.3", MakeElf({.machine = testing::kArm64}), 0644)});
  conf.config.config.entrypoint = std::vector<std::string>{"/app/tls"};
  r = Audit(conf);
  EXPECT_EQ(Codes(r),
            (std::set<std::string>{"PA130 opt/lib/libcrypto.so.3", "PA133 app/lib/libssl.so.3"}))
      << Messages(r);
  oci::Image fixed = maker_.Add(conf, {File("opt/lib/libcrypto.so.3", MakeElf({}), 0644)});
  EXPECT_TRUE(Codes(Audit(fixed)).empty()) << Messages(Audit(fixed));
}

// PA140, PA141, PA142
TEST_F(ImageAuditorTest, KeysAndDotenvFilesInTheFilesystem) {
  std::string key =
      "-----BEGIN OPENSSH PRIVATE KEY-----\n"
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
      "-----END OPENSSH PRIVATE KEY-----\n";
  oci::Image image = maker_.Add(
      Clean(),
      {File("app/id_ed25519", key), File("app/settings.ini", "[aws]\nkey = AKIAIOSFODNN7EXAMPLE\n"),
       File("app/.env", "DB=postgres\n"), File("app/.env.example", "DB=\n"),
       File("app/README", "Put your key after -----BEGIN PRIVATE KEY----- here.\n"),
       File("app/notakey", "XAKIAIOSFODNN7EXAMPLE and AKIA123 are not keys\n")});
  AuditResult r = Audit(image);
  EXPECT_EQ(Codes(r), (std::set<std::string>{"PA140 app/id_ed25519", "PA141 app/settings.ini",
                                             "PA142 app/.env"}))
      << Messages(r);
  EXPECT_NE(Messages(r).find("app/settings.ini:2"), std::string::npos);
  EXPECT_EQ(Messages(r).find("AKIAIOSFODNN7EXAMPLE"), std::string::npos)
      << "values are never shown";
}

// PA143, PA144
TEST_F(ImageAuditorTest, CredentialsInEnvAndHistory) {
  oci::Image image = Clean();
  image.config.config.env = {"PATH=/usr/bin", "DB_PASSWORD=hunter2",
                             "PASSWORD_FILE=/run/secrets/db",
                             "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", "API_TOKEN="};
  AuditResult r = Audit(image);
  EXPECT_EQ(Codes(r), std::set<std::string>{"PA143"});
  EXPECT_NE(Messages(r).find("DB_PASSWORD"), std::string::npos);
  EXPECT_EQ(Messages(r).find("hunter2"), std::string::npos);

  oci::Image history = Clean();
  history.config.history.push_back({.created_by = "|1 API_TOKEN=abc123 /bin/sh -c make"});
  history.config.history.push_back({.created_by = "ENV TOKEN=$TOKEN", .empty_layer = true});
  history.config.history.push_back(
      {.created_by = "RUN echo AKIAIOSFODNN7EXAMPLE", .empty_layer = true});
  r = Audit(history);
  EXPECT_EQ(Codes(r), std::set<std::string>{"PA144"});
  EXPECT_EQ(std::count_if(r.findings.begin(), r.findings.end(),
                          [](const AuditFinding& f) { return f.code == "PA144"; }),
            2)
      << Messages(r);
}

// PA145
TEST_F(ImageAuditorTest, AnEmptyPasswordInShadow) {
  oci::Image image = maker_.Add(Clean(), {File("etc/shadow", "root::19000:0:99999:7:::\n", 0640)});
  AuditResult r = Audit(image);
  EXPECT_EQ(Codes(r), std::set<std::string>{"PA145 etc/shadow"});
  for (const auto& f : r.findings)
    if (f.code == "PA145") EXPECT_EQ(f.aliases, std::vector<std::string>{"DKL-LI-0001"});
}

// PA150, PA151, PA152
TEST_F(ImageAuditorTest, WastedBytesLayerCountAndSizeBudget) {
  oci::Image image = maker_.Add(Clean(), {File("app/big", std::string(3000, 'x'))});
  image = maker_.Add(image, {Whiteout("app/big")});
  AuditResult r = Audit(image);
  EXPECT_TRUE(Codes(r).empty());
  EXPECT_EQ(Codes(r, Severity::kNote), std::set<std::string>{"PA150"});
  EXPECT_EQ(r.figures.wasted_bytes, 3000u);
  EXPECT_EQ(Codes(Audit(image, {.wasted_bytes = 1000})), std::set<std::string>{"PA150"});
  EXPECT_EQ(Codes(Audit(image, {.max_layers = 2})), std::set<std::string>{"PA151"});
  EXPECT_TRUE(Codes(Audit(image, {.max_layers = 3})).empty());
  r = Audit(image, {.size_budget = 100, .tier = "tiny"});
  EXPECT_EQ(Codes(r), std::set<std::string>{"PA152"});
  EXPECT_NE(Messages(r).find("tier \"tiny\""), std::string::npos);
  EXPECT_TRUE(Codes(Audit(image, {.size_budget = 1 << 20})).empty());
  EXPECT_TRUE(Codes(Audit(Clean()), Severity::kNote).empty());
}

TEST_F(ImageAuditorTest, SuppressionsByCodeSlugOrAliasRemoveFindingsAndAreCounted) {
  oci::Image image = Clean();
  image.config.config.user = "";
  AuditPolicy policy{.ignore = {{.code = "CIS-DI-0001", .reason = "legacy image"}}};
  AuditResult r = Audit(image, policy);
  EXPECT_TRUE(r.findings.empty()) << Messages(r);
  EXPECT_EQ(r.suppressed, 1u);
  EXPECT_TRUE(ValidateSuppressions(policy.ignore));
  EXPECT_TRUE(ValidateSuppressions({{.code = "user-root", .reason = "x"}}));
  auto unknown =
      ValidateSuppressions({{.code = "PA999", .reason = "x", .location = {"plinth.yaml", 7, 9}}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().location().line, 7);
  EXPECT_FALSE(ValidateSuppressions({{.code = "PA101", .reason = ""}}));
}

TEST_F(ImageAuditorTest, ManyFindingsOfOneRuleAreCapped) {
  std::vector<Member> files;
  for (int i = 0; i < 25; ++i) files.push_back(File("app/s" + std::to_string(i), "", 04755));
  AuditResult r = Audit(maker_.Add(Clean(), files));
  EXPECT_EQ(r.findings.size(), 21u);
  EXPECT_NE(r.findings.back().message.find("5 more"), std::string::npos);
}

TEST_F(ImageAuditorTest, ALayerThatIsNotWhatTheImageNamesIsAnErrorNotAFinding) {
  oci::Image image = Clean();
  image.config.diff_ids[0] = oci::Digest::Of("other");
  auto manifest = maker_.Store(image, "broken");
  auto r = AuditImage(maker_.store(), manifest, "broken", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity);
}

}  // namespace
}  // namespace plinth::audit
