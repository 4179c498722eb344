// End to end: `plinth push|pull|copy|login|logout` against a real docker-registry on
// 127.0.0.1, cross-checked with skopeo in both directions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "e2e/registry_images_support.h"
#include "support/plinth_runner.h"
#include "support/registry_server.h"
#include "support/test_env.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth {
namespace {

using testing::Run;
using testing::RunPlinth;
using testing::ScratchDir;

std::string SkopeoDigest(const std::string& image, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {"skopeo", "inspect", "--raw"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(image);
  auto r = Run(argv);
  if (r.exit_code != 0) return "error: " + r.err;
  return "sha256:" + Sha256::HexOf(r.out);
}

class RegistryCliTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()) << server_.error(); }
  std::map<std::string, std::string> Env() {
    return {{"DOCKER_CONFIG", dir_ / "docker"}, {"REGISTRY_AUTH_FILE", ""}};
  }
  testing::RegistryServer server_;
  ScratchDir dir_;
};

TEST_F(RegistryCliTest, PlinthPushesSkopeoReadsAndTheReverse) {
  std::string store = dir_ / "store";
  std::string digest = testing::WriteRegistryTestImage(store, "pickme/lucid-base:latest-arm64",
                                                       "linux/arm64", "base v1\n");
  ASSERT_FALSE(digest.empty());
  std::string dest = server_.host() + "/pickme/lucid-base:latest-arm64";
  auto pushed = RunPlinth({"--store", store, "push", "--insecure",
                           "pickme/lucid-base:latest-arm64", dest}, Env());
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  EXPECT_NE(pushed.out.find("3 blobs uploaded"), std::string::npos) << pushed.out;
  EXPECT_EQ(SkopeoDigest("docker://" + dest, {"--tls-verify=false"}), digest);

  // Pushing again uploads nothing.
  auto again = RunPlinth({"--store", store, "push", "--insecure",
                          "pickme/lucid-base:latest-arm64", server_.host() + "/pickme/lucid-base:v2"},
                         Env());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 blobs uploaded, 3 already there"), std::string::npos) << again.out;

  // skopeo → registry → plinth pull.
  std::string other = dir_ / "other";
  std::string skopeo_digest = testing::WriteRegistryTestImage(other, "lucid/redis:7", "linux/arm64",
                                                              "redis\n");
  auto copied = plinth::testing::Run({"skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false",
                     "oci:" + other + ":lucid/redis:7",
                     "docker://" + server_.host() + "/lucid/redis:7"});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  auto pulled = RunPlinth({"--store", dir_ / "pulled", "pull", "--insecure",
                           server_.host() + "/lucid/redis:7"}, Env());
  ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
  EXPECT_NE(pulled.out.find(skopeo_digest), std::string::npos) << pulled.out;
  EXPECT_EQ(SkopeoDigest("oci:" + (dir_ / "pulled") + ":" + server_.host() + "/lucid/redis:7"),
            skopeo_digest);
  auto verify = RunPlinth({"--store", dir_ / "pulled", "store", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(RegistryCliTest, MultiArchFleetWithPerArchTags) {
  std::string store = dir_ / "store";
  for (const std::string svc : {"auth", "api-gateway", "session"}) {
    for (const std::string arch : {"arm64", "amd64"})
      ASSERT_FALSE(testing::WriteRegistryTestImage(store, "pickme/lucid-" + svc + ":latest-" + arch,
                                                   "linux/" + arch, svc + " " + arch).empty());
    std::string index = testing::WriteRegistryTestIndex(
        store, "pickme/lucid-" + svc + ":latest",
        {"pickme/lucid-" + svc + ":latest-arm64", "pickme/lucid-" + svc + ":latest-amd64"});
    ASSERT_FALSE(index.empty());
    for (const std::string tag : {"latest", "latest-arm64", "latest-amd64"}) {
      auto pushed = RunPlinth({"--store", store, "push", "--insecure", "pickme/lucid-" + svc + ":" + tag,
                               server_.host() + "/pickme/lucid-" + svc + ":" + tag}, Env());
      ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
    }
    EXPECT_EQ(SkopeoDigest("docker://" + server_.host() + "/pickme/lucid-" + svc + ":latest",
                           {"--tls-verify=false"}),
              index);
  }
  // skopeo resolves the index to one platform and reads the image.
  auto inspect = plinth::testing::Run({"skopeo", "inspect", "--tls-verify=false", "--override-arch", "amd64",
                      "docker://" + server_.host() + "/pickme/lucid-auth:latest"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_EQ(nlohmann::json::parse(inspect.out)["Architecture"], "amd64");
}

// --format json (issue 14): push, pull and copy print one object of what they moved.
TEST_F(RegistryCliTest, PushPullAndCopyPrintJson) {
  std::string store = dir_ / "store";
  std::string digest = testing::WriteRegistryTestImage(store, "lucid/app:1", "linux/arm64", "app\n");
  std::string dest = server_.host() + "/lucid/app:1";
  auto pushed = RunPlinth({"--store", store, "push", "--insecure", "--format", "json", "lucid/app:1",
                           dest}, Env());
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  auto push = nlohmann::json::parse(pushed.out, nullptr, false);
  EXPECT_EQ(push["digest"], digest) << pushed.out;
  EXPECT_EQ(push["blobs_uploaded"], 3) << pushed.out;
  EXPECT_EQ(push["blobs_present"], 0) << pushed.out;
  EXPECT_EQ(push["blobs_mounted"], 0) << pushed.out;

  auto pulled = RunPlinth({"--store", dir_ / "pulled", "pull", "--insecure", "--format", "json",
                           dest}, Env());
  ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
  auto pull = nlohmann::json::parse(pulled.out, nullptr, false);
  EXPECT_EQ(pull["digest"], digest) << pulled.out;
  EXPECT_EQ(pull["blobs_fetched"], 3) << pulled.out;
  EXPECT_EQ(pull["blobs_present"], 0) << pulled.out;

  auto copied = RunPlinth({"--store", store, "copy", "--format", "json", "store:lucid/app:1",
                           "oci-archive:" + (dir_ / "app.tar")});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  auto copy = nlohmann::json::parse(copied.out, nullptr, false);
  EXPECT_EQ(copy["digest"], digest) << copied.out;
  EXPECT_EQ(copy["source"], "store:lucid/app:1") << copied.out;
  // An archive starts empty: the manifest and every blob the push uploaded are written into it.
  EXPECT_EQ(copy["blobs_copied"], 3 + 1) << copied.out;

  // Within one registry the blobs are mounted into the new repository, and said to be.
  auto mirrored = RunPlinth({"--store", dir_ / "mirror-store", "copy", "--insecure",
                             "--format", "json", dest, server_.host() + "/lucid/app-mirror:1"},
                            Env());
  ASSERT_EQ(mirrored.exit_code, 0) << mirrored.err;
  auto mirror = nlohmann::json::parse(mirrored.out, nullptr, false);
  EXPECT_EQ(mirror["blobs_mounted"], 3) << mirrored.out;
  EXPECT_EQ(mirror["blobs_copied"], 0) << mirrored.out;
  auto text = RunPlinth({"--store", dir_ / "mirror-store", "copy", "--insecure", dest,
                         server_.host() + "/lucid/app-mirror2:1"}, Env());
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("0 blobs copied, 3 mounted, 0 already there"), std::string::npos) << text.out;

  // A failure is a JSON error line.
  auto missing = RunPlinth({"--store", store, "push", "--insecure", "--format", "json", "lucid/none:1",
                            server_.host() + "/lucid/none:1"}, Env());
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_TRUE(nlohmann::json::parse(missing.err, nullptr, false)["error"].is_object()) << missing.err;
}

TEST_F(RegistryCliTest, CopyToAnOciArchiveThatSkopeoReads) {
  std::string store = dir_ / "store";
  std::string digest = testing::WriteRegistryTestImage(store, "lucid/app:1", "linux/arm64", "app\n");
  std::string archive = dir_ / "app.tar";
  auto copied = RunPlinth({"--store", store, "copy", "store:lucid/app:1", "oci-archive:" + archive});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_EQ(SkopeoDigest("oci-archive:" + archive), digest);
  auto up = RunPlinth({"--store", dir_ / "store2", "copy", "--insecure", "oci-archive:" + archive,
                       server_.host() + "/lucid/app:1"}, Env());
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(SkopeoDigest("docker://" + server_.host() + "/lucid/app:1", {"--tls-verify=false"}),
            digest);
}

TEST_F(RegistryCliTest, BadInputExitsTwo) {
  auto bad = RunPlinth({"--store", dir_ / "s", "pull", "Not/A:Valid:Ref"});
  EXPECT_EQ(bad.exit_code, 2);
  auto unknown = RunPlinth({"--store", dir_ / "s", "pull", "--insecure",
                            server_.host() + "/nobody/nothing:1"}, Env());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("MANIFEST_UNKNOWN"), std::string::npos) << unknown.err;
  // --insecure is per command and per registry: without it plinth speaks https and says so.
  std::string store = dir_ / "store";
  testing::WriteRegistryTestImage(store, "x:1", "linux/arm64", "x");
  auto https = RunPlinth({"--store", store, "push", "x:1", server_.host() + "/x:1"}, Env());
  EXPECT_EQ(https.exit_code, 2);
  EXPECT_NE(https.err.find("--insecure"), std::string::npos) << https.err;
}

TEST(RegistryLoginTest, LoginLogoutAndAWrongPasswordThatIsNeverPrinted) {
  testing::RegistryServer server({.user = "lucid", .password = "Corr3ct-h0rse"});
  ASSERT_TRUE(server.ok()) << server.error();
  ScratchDir dir;
  std::map<std::string, std::string> env = {{"DOCKER_CONFIG", dir / "docker"},
                                            {"REGISTRY_AUTH_FILE", ""}};
  auto wrong = RunPlinth({"login", "--insecure", server.host(), "-u", "lucid", "--password-stdin"},
                         env);
  // RunPlinth gives no stdin: an empty password is bad input.
  EXPECT_EQ(wrong.exit_code, 2);
  auto refused = RunPlinth({"login", "--insecure", server.host(), "-u", "lucid", "-p",
                            "Wr0ng-battery-staple"}, env);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("refused"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("Wr0ng-battery-staple"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out.find("Wr0ng-battery-staple"), std::string::npos) << refused.out;
  EXPECT_FALSE(PathExists(dir / "docker/config.json"));

  auto ok = RunPlinth({"login", "--insecure", server.host(), "-u", "lucid", "-p", "Corr3ct-h0rse"},
                      env);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("Login Succeeded"), std::string::npos);
  std::string store = dir / "store";
  std::string digest = testing::WriteRegistryTestImage(store, "lucid/secure:1", "linux/arm64", "s");
  auto pushed = RunPlinth({"--store", store, "push", "--insecure", "lucid/secure:1",
                           server.host() + "/lucid/secure:1"}, env);
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  // skopeo reads the same credentials file.
  EXPECT_EQ(SkopeoDigest("docker://" + server.host() + "/lucid/secure:1",
                         {"--tls-verify=false", "--authfile", dir / "docker/config.json"}),
            digest);
  auto out = RunPlinth({"logout", server.host()}, env);
  EXPECT_EQ(out.exit_code, 0) << out.err;
  auto denied = RunPlinth({"--store", dir / "s2", "pull", "--insecure",
                           server.host() + "/lucid/secure:1"}, env);
  EXPECT_EQ(denied.exit_code, 2);
  EXPECT_NE(denied.err.find("plinth login"), std::string::npos) << denied.err;
}

}  // namespace
}  // namespace plinth
