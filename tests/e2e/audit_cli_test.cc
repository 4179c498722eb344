// `plinth audit` and `plinth build --audit` end to end, on images made here from real Debian
// packages (`plinth base build`, the test .deb cache) and unpacked with umoci: a renamed
// busybox-static and Debian's glibc `hello` copied onto a static base are both caught, the same
// `hello` on a base with its libc passes; images are read from the store, an oci: layout and an
// oci-archive; a fleet's tier policy and suppressions decide a build; the Lucid example passes
// every tier's rules.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "e2e/scratch_fleet_support.h"
#include "support/plinth_runner.h"
#include "support/registry_server.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

using testing::RunPlinth;

#if defined(__aarch64__)
constexpr const char* kArch = "arm64";
constexpr const char* kLoader = "/lib/ld-linux-aarch64.so.1";
constexpr const char* kLoaderInDebian = "/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1";
#else
constexpr const char* kArch = "amd64";
constexpr const char* kLoader = "/lib64/ld-linux-x86-64.so.2";
constexpr const char* kLoaderInDebian = "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2";
#endif

std::string HostPlatform() { return std::string("linux/") + kArch; }

class AuditCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::ScratchDir();
    env_ = {{"PLINTH_DEBIAN_CACHE", testing::TestDebCache()}};
    auto recipe = ReadFile(testing::SourceDir() + "/examples/lucid/bases/static-debian12.yaml");
    ASSERT_TRUE(recipe);
    std::string text = *recipe;
    text.replace(text.find("name: static-debian12"), 21, "name: audit-static");
    testing::WriteTestFile(Path("static.yaml"), text + "user: \"65532\"\n");
    testing::WriteTestFile(Path("tools.yaml"),
                           "name: audit-tools\nsuite: bookworm\narchitectures: [amd64, arm64]\n"
                           "packages: [base-files, busybox-static, hello]\n");
    testing::WriteTestFile(Path("glibc.yaml"),
                           "name: audit-glibc\nsuite: bookworm\narchitectures: [amd64, arm64]\n"
                           "packages: [base-files, hello]\nuser: \"65532\"\n"
                           "entrypoint: [/usr/bin/hello]\n");
    for (const char* name : {"static", "tools", "glibc"}) {
      auto built = Plinth({"base", "build", Path(std::string(name) + ".yaml"), "--arch", kArch,
                           "--lock", Path(std::string(name) + ".lock")});
      ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
    }
    // The real binaries, out of the tools image: umoci unpacks it as a runtime would.
    auto copied =
        Plinth({"copy", "store:audit-tools:latest", "oci:" + Path("tools-oci") + ":tools"});
    ASSERT_EQ(copied.exit_code, 0) << copied.err;
    auto unpacked = testing::Run(
        {"umoci", "unpack", "--rootless", "--image", Path("tools-oci") + ":tools", Path("bundle")});
    ASSERT_EQ(unpacked.exit_code, 0) << unpacked.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Path(const std::string& name) { return (*dir_) / name; }
  static SubprocessResult Plinth(std::vector<std::string> args, const std::string& cwd = "") {
    args.insert(args.begin(), {"--store", Path("store")});
    return RunPlinth(args, env_, cwd);
  }
  static std::string Rootfs(const std::string& path) { return Path("bundle/rootfs") + path; }

  static testing::ScratchDir* dir_;
  static std::map<std::string, std::string> env_;
};

testing::ScratchDir* AuditCliTest::dir_ = nullptr;
std::map<std::string, std::string> AuditCliTest::env_;

TEST_F(AuditCliTest, ARenamedBusyboxIsStillAShell) {
  auto built = Plinth({"image", "build", "--from", "audit-static:latest", "--add",
                       Rootfs("/usr/bin/busybox") + ":/usr/local/bin/inspect", "--user", "65532",
                       "--entrypoint", "[\"/usr/local/bin/inspect\"]", "-t", "renamed:test"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto audit = Plinth({"audit", "renamed:test"});
  EXPECT_EQ(audit.exit_code, 1) << audit.out << audit.err;
  EXPECT_NE(audit.out.find("renamed:test:/usr/local/bin/inspect: error [PA110] "
                           "/usr/local/bin/inspect is busybox (by its content)"),
            std::string::npos)
      << audit.out;
  // Nothing else is wrong with it: busybox-static runs on the static base.
  auto json = Plinth({"audit", "renamed:test", "--format", "json"});
  auto parsed = nlohmann::json::parse(json.out);
  ASSERT_EQ(parsed["images"].size(), 1u);
  ASSERT_EQ(parsed["images"][0]["findings"].size(), 1u) << json.out;
  EXPECT_EQ(parsed["images"][0]["findings"][0]["slug"], "shell");

  // --platform picks the image's platform (a variant only when asked for); another is bad input.
  EXPECT_EQ(Plinth({"audit", "renamed:test", "--platform", HostPlatform()}).exit_code, 1);
  auto other = Plinth({"audit", "renamed:test", "--platform", "linux/s390x"});
  EXPECT_EQ(other.exit_code, 2) << other.out << other.err;
  EXPECT_NE(other.err.find("has no image for linux/s390x"), std::string::npos) << other.err;

  // The same image from an oci-archive and from an OCI layout folder.
  auto exported = Plinth({"copy", "store:renamed:test", "oci-archive:" + Path("renamed.tar")});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  auto from_archive = Plinth({"audit", "oci-archive:" + Path("renamed.tar"), "--format", "sarif"});
  EXPECT_EQ(from_archive.exit_code, 1) << from_archive.err;
  EXPECT_NE(from_archive.out.find("\"ruleId\": \"PA110\""), std::string::npos);
  auto from_layout = Plinth({"audit", "oci:" + Path("tools-oci") + ":tools"});
  EXPECT_EQ(from_layout.exit_code, 1);
  EXPECT_NE(from_layout.out.find("[PA110] /usr/bin/busybox is busybox"), std::string::npos)
      << from_layout.out;
  EXPECT_NE(from_layout.out.find("[PA101]"), std::string::npos) << "the tools image runs as root";
}

TEST_F(AuditCliTest, AGlibcProgramOnTheStaticBaseIsCaughtAndOnItsLibcItPasses) {
  auto built = Plinth({"image", "build", "--from", "audit-static:latest", "--add",
                       Rootfs("/usr/bin/hello") + ":/app/hello", "--user", "65532", "--entrypoint",
                       "[\"/app/hello\"]", "-t", "hello-on-static:test"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto audit = Plinth({"audit", "hello-on-static:test"});
  EXPECT_EQ(audit.exit_code, 1) << audit.out << audit.err;
  EXPECT_NE(audit.out.find("hello-on-static:test:/app/hello: error [PA132] entrypoint "
                           "[\"/app/hello\"]: /app/hello is dynamically linked and needs the "
                           "loader /lib"),
            std::string::npos)
      << audit.out;

  // Debian's hello on a base that has libc6: the loader and libc.so.6 are found.
  auto good = Plinth({"audit", "audit-glibc:latest", "--fail-on", "note"});
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("0 errors, 0 warnings, 0 notes"), std::string::npos) << good.out;

  // The loader without libc: now the library is what is missing.
  auto no_libc = Plinth({"image", "build", "--from", "hello-on-static:test", "--add",
                         Rootfs(kLoaderInDebian) + ":" + kLoader, "-t", "loader-only:test"});
  ASSERT_EQ(no_libc.exit_code, 0) << no_libc.err;
  audit = Plinth({"audit", "loader-only:test"});
  EXPECT_EQ(audit.exit_code, 1) << audit.out << audit.err;
  EXPECT_NE(audit.out.find("[PA133] entrypoint [\"/app/hello\"]: /app/hello needs libc.so.6"),
            std::string::npos)
      << audit.out;
  EXPECT_EQ(audit.out.find("[PA132]"), std::string::npos) << audit.out;
}

// A registry reference is pulled through the registry client into the store (verified, named
// as `plinth pull` names it) and audited there.
TEST_F(AuditCliTest, ARegistryImageIsPulledIntoTheStoreAndAudited) {
  testing::RegistryServer registry;
  ASSERT_TRUE(registry.ok()) << registry.error();
  auto built = Plinth({"image", "build", "--from", "audit-static:latest", "--add",
                       Rootfs("/usr/bin/busybox") + ":/usr/local/bin/x", "--user", "65532", "-t",
                       "pushed:test"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  std::string ref = registry.host() + "/audit/pushed:1";
  auto pushed = Plinth({"copy", "store:pushed:test", "docker://" + ref, "--insecure"});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  std::string other = Path("other-store");
  auto audit = RunPlinth({"--store", other, "audit", ref, "--insecure"}, env_);
  EXPECT_EQ(audit.exit_code, 1) << audit.out << audit.err;
  EXPECT_NE(audit.out.find(ref + ":/usr/local/bin/x: error [PA110]"), std::string::npos)
      << audit.out;
  auto listed = RunPlinth({"--store", other, "store", "ls"}, env_);
  EXPECT_NE(listed.out.find(ref), std::string::npos) << listed.out;
  // Not reachable over https: bad input, exit 2, nothing audited.
  auto refused = RunPlinth({"--store", Path("third-store"), "audit", ref}, env_);
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
}

TEST_F(AuditCliTest, BadInputExitsTwo) {
  auto missing = Plinth({"audit", "oci:" + Path("no-such-layout")});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  auto format = Plinth({"audit", "audit-glibc:latest", "--format", "xml"});
  EXPECT_EQ(format.exit_code, 2);
  auto fail_on = Plinth({"audit", "audit-glibc:latest", "--fail-on", "fatal"});
  EXPECT_EQ(fail_on.exit_code, 2);
  auto explain = Plinth({"audit", "--explain", "CIS-DI-0001"});
  EXPECT_EQ(explain.exit_code, 0);
  EXPECT_NE(explain.out.find("PA101 user-root"), std::string::npos) << explain.out;
}

// `--vulns DB`: the real packages of a Debian-built image matched against an OSV database made
// here around their installed versions: an advisory on glibc's source reports every binary of
// it the image holds (libc6 among them), one fixed below the installed version, a withdrawn one
// and one for another release report nothing; --fail-on takes vulnerability levels.
TEST_F(AuditCliTest, VulnsMatchTheImagesPackagesAgainstAnOsvDatabase) {
  auto sbom = Plinth({"sbom", "audit-glibc:latest"});
  ASSERT_EQ(sbom.exit_code, 0) << sbom.err;
  std::string libc6, hello;
  auto spdx = nlohmann::json::parse(sbom.out);
  for (const auto& p : spdx["packages"]) {
    if (p.value("name", "") == "libc6") libc6 = p.value("versionInfo", "");
    if (p.value("name", "") == "hello") hello = p.value("versionInfo", "");
  }
  ASSERT_FALSE(libc6.empty()) << sbom.out;
  ASSERT_FALSE(hello.empty()) << sbom.out;

  auto advisory = [](const std::string& id, const std::string& ecosystem,
                     const std::string& package, nlohmann::json events,
                     nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json a = {{"schema_version", "1.6.0"},
                        {"id", id},
                        {"modified", "2026-11-01T00:00:00Z"},
                        {"summary", id + " in " + package},
                        {"affected",
                         {{{"package", {{"ecosystem", ecosystem}, {"name", package}}},
                           {"ranges", {{{"type", "ECOSYSTEM"}, {"events", events}}}}}}}};
    a.update(extra);
    return a.dump();
  };
  const std::string critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  std::string db = Path("osv");
  testing::WriteTestFile(db + "/DEBIAN-CVE-2026-0001.json",
                         advisory("DEBIAN-CVE-2026-0001", "Debian:12", "glibc",
                                  {{{"introduced", "0"}}, {{"fixed", libc6 + "+1"}}},
                                  {{"severity", {{{"type", "CVSS_V3"}, {"score", critical}}}}}));
  testing::WriteTestFile(db + "/DEBIAN-CVE-2026-0002.json",
                         advisory("DEBIAN-CVE-2026-0002", "Debian:12", "glibc",
                                  {{{"introduced", "0"}}, {{"fixed", "2.0-1"}}}));
  testing::WriteTestFile(db + "/DEBIAN-CVE-2026-0003.json",
                         advisory("DEBIAN-CVE-2026-0003", "Debian:12", "glibc",
                                  {{{"introduced", "0"}}},
                                  {{"withdrawn", "2026-11-02T00:00:00Z"}}));
  testing::WriteTestFile(db + "/DEBIAN-CVE-2026-0004.json",
                         advisory("DEBIAN-CVE-2026-0004", "Debian:11", "glibc",
                                  {{{"introduced", "0"}}}));
  std::string low_db = Path("osv-low");
  testing::WriteTestFile(low_db + "/DEBIAN-CVE-2026-0005.json",
                         advisory("DEBIAN-CVE-2026-0005", "Debian:12", "hello",
                                  {{{"introduced", "0"}}},
                                  {{"affected",
                                    {{{"package", {{"ecosystem", "Debian:12"}, {"name", "hello"}}},
                                      {"ranges",
                                       {{{"type", "ECOSYSTEM"},
                                         {"events", {{{"introduced", "0"}}}}}}},
                                      {"ecosystem_specific", {{"urgency", "low"}}}}}}}));

  auto audit = Plinth({"audit", "audit-glibc:latest", "--vulns", db, "--format", "json"});
  EXPECT_EQ(audit.exit_code, 1) << audit.out << audit.err;
  auto report = nlohmann::json::parse(audit.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << audit.out;
  std::set<std::string> glibc_binaries;
  for (const auto& f : report["images"][0]["findings"]) {
    std::string code = f.value("code", "");
    EXPECT_NE(code, "DEBIAN-CVE-2026-0002") << f.dump();
    EXPECT_NE(code, "DEBIAN-CVE-2026-0003") << f.dump();
    EXPECT_NE(code, "DEBIAN-CVE-2026-0004") << f.dump();
    if (code != "DEBIAN-CVE-2026-0001") continue;
    EXPECT_EQ(f.value("severity", ""), "error") << f.dump();
    EXPECT_NE(f.value("message", "").find("severity critical (CVSS:3.1 9.8)"), std::string::npos)
        << f.dump();
    EXPECT_NE(f.value("hint", "").find("fixed in " + libc6 + "+1"), std::string::npos) << f.dump();
    glibc_binaries.insert(f.value("message", "").substr(0, f.value("message", "").find(' ')));
  }
  EXPECT_TRUE(glibc_binaries.count("libc6")) << audit.out;

  // hello's advisory is rated low: a note, under --fail-on high; at --fail-on low it fails.
  auto high = Plinth({"audit", "audit-glibc:latest", "--vulns", low_db, "--fail-on", "high"});
  EXPECT_EQ(high.exit_code, 0) << high.out << high.err;
  EXPECT_NE(high.out.find("note [DEBIAN-CVE-2026-0005] hello " + hello), std::string::npos)
      << high.out;
  auto low = Plinth({"audit", "audit-glibc:latest", "--vulns", low_db, "--fail-on", "low"});
  EXPECT_EQ(low.exit_code, 1) << low.out << low.err;

  // A vulnerability level without --vulns, and a database that is not one, are bad input.
  EXPECT_EQ(Plinth({"audit", "audit-glibc:latest", "--fail-on", "high"}).exit_code, 2);
  testing::WriteTestFile(Path("osv-bad/x.json"), "{\"id\": 7}");
  auto bad = Plinth({"audit", "audit-glibc:latest", "--vulns", Path("osv-bad")});
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.err.find("x.json"), std::string::npos) << bad.err;
}

// A fleet whose service ships a shell: `build --audit` fails it by name with the finding; a
// suppression with a reason lets it through; a suppression naming no rule is bad input at its
// line and column.
TEST_F(AuditCliTest, BuildAuditFailsATargetThatBreaksItsTiersRules) {
  std::string fleet = Path("fleet");
  testing::WriteScratchFleet(fleet, {"web"}, {HostPlatform()});
  testing::WriteTestFile(fleet + "/web/sh", "#!/nothing\n", 0755);
  testing::WriteTestFile(fleet + "/web/Dockerfile",
                         "FROM scratch\nCOPY hello.txt /hello.txt\nCOPY sh /bin/sh\nUSER 65532\n");
  auto build = RunPlinth({"build", "--audit", "--progress", "plain"}, env_, fleet);
  EXPECT_EQ(build.exit_code, 1) << build.out << build.err;
  std::string all = build.out + build.err;
  EXPECT_NE(all.find("web"), std::string::npos);
  EXPECT_NE(all.find("[PA110] /bin/sh is a shell"), std::string::npos) << all;
  auto audit = RunPlinth({"audit"}, env_, fleet);
  EXPECT_EQ(audit.exit_code, 1) << audit.out << audit.err;
  // With --push-to, the image that fails is not published: the registry stays empty.
  testing::RegistryServer registry;
  ASSERT_TRUE(registry.ok()) << registry.error();
  auto pushed = RunPlinth({"build", "--audit", "--push-to", registry.host(), "--insecure",
                           registry.host(), "--progress", "plain"},
                          env_, fleet);
  EXPECT_EQ(pushed.exit_code, 1) << pushed.out << pushed.err;
  auto catalog = testing::Run({"curl", "-sSf", registry.base_url() + "/v2/_catalog"});
  ASSERT_EQ(catalog.exit_code, 0) << catalog.err;
  EXPECT_EQ(nlohmann::json::parse(catalog.out)["repositories"].size(), 0u) << catalog.out;

  auto manifest = ReadFile(fleet + "/plinth.yaml");
  ASSERT_TRUE(manifest);
  testing::WriteTestFile(fleet + "/plinth.yaml",
                         *manifest +
                             "    audit:\n      ignore:\n        - {code: shell, reason: "
                             "\"a placeholder the test puts there\"}\n");
  build = RunPlinth({"build", "--audit", "--push-to", registry.host(), "--insecure",
                     registry.host(), "--progress", "plain"},
                    env_, fleet);
  EXPECT_EQ(build.exit_code, 0) << build.out << build.err;
  catalog = testing::Run({"curl", "-sSf", registry.base_url() + "/v2/_catalog"});
  EXPECT_EQ(nlohmann::json::parse(catalog.out)["repositories"].size(), 1u) << catalog.out;
  audit = RunPlinth({"audit"}, env_, fleet);
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
  EXPECT_NE(audit.out.find("(1 suppressed)"), std::string::npos) << audit.out;

  testing::WriteTestFile(
      fleet + "/plinth.yaml",
      *manifest + "    audit:\n      ignore:\n        - {code: PA999, reason: x}\n");
  audit = RunPlinth({"audit"}, env_, fleet);
  EXPECT_EQ(audit.exit_code, 2) << audit.out << audit.err;
  EXPECT_NE(audit.err.find("plinth.yaml:16:18"), std::string::npos) << audit.err;
}

// The example fleet, built for this machine's platform as the main job builds it, passes every
// tier's rules, in `build --audit` and in `plinth audit`.
TEST_F(AuditCliTest, TheLucidFleetPassesEveryTiersRules) {
  std::string fleet = Path("lucid");
  testing::CopyExampleFleet("lucid", fleet);
  auto build = RunPlinth({"build", "--audit", "--platform", HostPlatform(), "--pull", "never", "-k",
                          "--allow-unreachable", "mongodb", "--progress", "plain"},
                         env_, fleet);
  EXPECT_EQ(build.exit_code, 0) << build.out << build.err;
  auto audit = RunPlinth({"audit", "--platform", HostPlatform(), "--format", "json"}, env_, fleet);
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
  auto parsed = nlohmann::json::parse(audit.out);
  EXPECT_GE(parsed["images"].size(), 14u);
  for (const auto& image : parsed["images"])
    for (const auto& f : image["findings"])
      EXPECT_EQ(f["severity"], "note") << image["image"] << ": " << f["message"];
  EXPECT_NE(audit.err.find("mongodb"), std::string::npos) << "the one target not built is named";
}

}  // namespace
}  // namespace plinth
