// `plinth lint --fix` as a user runs it on copies of real-world-style Dockerfiles
// (tests/lint/fix_corpus): the fixed rules' findings are gone on a re-lint and the others
// remain, --dry-run writes nothing and prints a diff git apply and patch accept, a second --fix
// changes nothing, and PL107 pins upstream bases to the digest the store or a real
// docker-registry gives (an image neither has is left alone, the rest is fixed).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "e2e/registry_images_support.h"
#include "support/plinth_runner.h"
#include "support/registry_server.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

using ::testing::HasSubstr;
using testing::RunPlinth;

const std::vector<std::string> kCorpus = {"flask-api.Dockerfile", "node-web.Dockerfile",
                                          "debian-tools.Dockerfile"};

std::string Read(const std::string& path) {
  auto content = ReadFile(path);
  return content ? *content : "unreadable: " + path;
}

class LintFixCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& name : kCorpus)
      testing::WriteTestFile(dir_ / name,
                             Read(testing::SourceDir() + "/tests/lint/fix_corpus/" + name));
  }
  std::vector<std::string> LintArgs(std::vector<std::string> flags) {
    std::vector<std::string> args = {"lint", "--no-shellcheck"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), kCorpus.begin(), kCorpus.end());
    return args;
  }
  // Findings by code, from a JSON re-lint.
  std::map<std::string, int> Codes() {
    auto r = RunPlinth(LintArgs({"--format", "json"}), {}, dir_.path());
    EXPECT_LE(r.exit_code, 1) << r.err;
    std::map<std::string, int> codes;
    for (const auto& f : nlohmann::json::parse(r.out)) ++codes[f["code"].get<std::string>()];
    return codes;
  }
  std::map<std::string, std::string> Contents() {
    std::map<std::string, std::string> out;
    for (const auto& name : kCorpus) out[name] = Read(dir_ / name);
    return out;
  }
  testing::ScratchDir dir_;
};

TEST_F(LintFixCliTest, FixedRulesAreGoneAndTheOthersRemain) {
  auto before = Codes();
  ASSERT_EQ(before["PL215"], 1);  // MAINTAINER
  ASSERT_EQ(before["PL205"], 2);  // ADD of files
  ASSERT_EQ(before["PL241"], 1);  // apt (the suppressed one is not reported)
  ASSERT_EQ(before["PL255"], 1);  // wget
  ASSERT_EQ(before["PL237"], 1);  // --no-install-recommends
  ASSERT_EQ(before["PL210"], 3);  // two plain commands, one that needs the shell

  auto fixed = RunPlinth(LintArgs({"--fix"}), {}, dir_.path());
  EXPECT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;  // the errors were the fixed ones
  EXPECT_THAT(fixed.err, HasSubstr("fixed flask-api.Dockerfile:3:1 [PL215]"));
  EXPECT_THAT(fixed.err, HasSubstr("not fixed: debian-tools.Dockerfile:15:1 [PL210]"));
  EXPECT_THAT(fixed.out, HasSubstr("[PL233]"));  // the re-lint's report

  auto after = Codes();
  for (const char* code : {"PL215", "PL205", "PL241", "PL255", "PL237"})
    EXPECT_EQ(after[code], 0) << code;
  EXPECT_EQ(after["PL210"], 1);  // CMD … $PORT needs the shell
  EXPECT_EQ(after["PL219"], 1);  // pipefail: no fix
  EXPECT_EQ(after["PL216"], 1);  // wget and curl
  EXPECT_EQ(after["PL233"], 2);  // pinning; `apt install` became an apt-get install to pin
  EXPECT_EQ(after["PL291"], 2);

  auto files = Contents();
  const std::string& flask = files["flask-api.Dockerfile"];
  EXPECT_THAT(flask, HasSubstr("LABEL maintainer=\"Ada Lovelace <ada@example.com>\"\n"));
  EXPECT_THAT(flask,
              HasSubstr("RUN apt-get update \\\n    && apt-get install --no-install-recommends -y "
                        "build-essential libpq-dev \\\n"));
  EXPECT_THAT(flask, HasSubstr("COPY requirements.txt /app/\n"));
  EXPECT_THAT(flask, HasSubstr("COPY . /app\n"));
  EXPECT_THAT(flask,
              HasSubstr("CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"--workers\", \"3\", "
                        "\"wsgi:app\"]\n"));
  EXPECT_THAT(flask, HasSubstr("# A Flask API"));
  const std::string& node = files["node-web.Dockerfile"];
  EXPECT_THAT(node, HasSubstr("RUN wget --progress=dot:giga https://github.com/"));
  EXPECT_THAT(node, HasSubstr("ENTRYPOINT [\"node\", \"server.js\"]\n"));
  const std::string& tools = files["debian-tools.Dockerfile"];
  EXPECT_THAT(tools, HasSubstr("# hadolint ignore=DL3027\nRUN apt update && "));  // suppressed
  EXPECT_THAT(tools, HasSubstr("ADD https://example.com/releases/tool-1.2.tar.gz /tmp/\n"));
  EXPECT_THAT(tools, HasSubstr("ADD vendor.tar.gz /opt/vendor/\n"));
  EXPECT_THAT(tools,
              HasSubstr("apt-get install --no-install-recommends -y \\\n      ca-certificates"));
  // Only the fixed lines changed: the line counts are the originals'.
  for (const auto& name : kCorpus) {
    std::string original = Read(testing::SourceDir() + "/tests/lint/fix_corpus/" + name);
    EXPECT_EQ(std::count(files[name].begin(), files[name].end(), '\n'),
              std::count(original.begin(), original.end(), '\n'))
        << name;
  }

  // A second --fix changes nothing.
  auto again = RunPlinth(LintArgs({"--fix"}), {}, dir_.path());
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.err, ::testing::Not(HasSubstr("fixed ")));
  EXPECT_EQ(Contents(), files);
}

TEST_F(LintFixCliTest, DryRunWritesNothingAndPrintsADiffThatApplies) {
  auto original = Contents();
  auto dry = RunPlinth(LintArgs({"--fix", "--dry-run"}), {}, dir_.path());
  EXPECT_EQ(dry.exit_code, 1) << dry.err;  // there is something to fix
  EXPECT_EQ(Contents(), original);
  EXPECT_THAT(dry.out, HasSubstr("--- a/flask-api.Dockerfile\n+++ b/flask-api.Dockerfile\n"));
  EXPECT_THAT(dry.out, HasSubstr("-MAINTAINER Ada Lovelace <ada@example.com>\n"));
  EXPECT_THAT(dry.err, HasSubstr("would fix flask-api.Dockerfile:3:1 [PL215]"));
  testing::WriteTestFile(dir_ / "fix.diff", dry.out);
  auto check = testing::Run({"git", "apply", "--check", "fix.diff"}, {}, dir_.path());
  EXPECT_EQ(check.exit_code, 0) << check.err;
  auto patch = testing::Run({"patch", "-p1", "--dry-run", "-i", "fix.diff"}, {}, dir_.path());
  EXPECT_EQ(patch.exit_code, 0) << patch.out << patch.err;

  // The diff applied is what --fix writes.
  ASSERT_EQ(testing::Run({"patch", "-p1", "-s", "-i", "fix.diff"}, {}, dir_.path()).exit_code, 0);
  auto patched = Contents();
  for (const auto& name : kCorpus) testing::WriteTestFile(dir_ / name, original[name]);
  ASSERT_LE(RunPlinth(LintArgs({"--fix"}), {}, dir_.path()).exit_code, 1);
  EXPECT_EQ(Contents(), patched);

  // Nothing left to fix: --dry-run prints nothing and exits with the lint's code.
  auto clean = RunPlinth(LintArgs({"--fix", "--dry-run"}), {}, dir_.path());
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(clean.out, "");
}

TEST(LintFixPinTest, PinsUpstreamBasesFromTheStoreOrTheRegistry) {
  testing::RegistryServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  testing::ScratchDir dir;
  std::string store = dir / "store";
  std::string pushed =
      testing::WriteRegistryTestImage(dir / "src", "upstream/base:latest", "linux/amd64", "base\n");
  ASSERT_FALSE(pushed.empty());
  auto push = RunPlinth({"--store", dir / "src", "push", "--insecure", "upstream/base:latest",
                         server.host() + "/upstream/base:latest"},
                        {{"DOCKER_CONFIG", dir / "docker"}, {"REGISTRY_AUTH_FILE", ""}});
  ASSERT_EQ(push.exit_code, 0) << push.err;
  std::string local =
      testing::WriteRegistryTestImage(store, "local/only:latest", "linux/amd64", "local\n");
  ASSERT_FALSE(local.empty());

  std::string fleet = dir / "fleet";
  std::map<std::string, std::string> bases = {{"a", server.host() + "/upstream/base"},
                                              {"b", "local/only:latest"},
                                              {"c", server.host() + "/upstream/missing"}};
  std::string manifest =
      "version: 1\nnamespace: cli\nimage: \"{namespace}/{name}:latest-{arch}\"\n"
      "platforms: [linux/amd64]\ntiers:\n  app: {}\ngroups:\n  apps: {phase: 1}\nservices:\n";
  for (const auto& [name, base] : bases) {
    manifest += "  " + name + ":\n    dockerfile: " + name +
                "/Dockerfile\n    tier: app\n    group: apps\n";
    testing::WriteTestFile(fleet + "/" + name + "/Dockerfile",
                           "FROM " + base + "\nCOPY hello.txt /hello.txt\nUSER 65532\n");
    testing::WriteTestFile(fleet + "/" + name + "/hello.txt", name + "\n");
  }
  testing::WriteTestFile(fleet + "/plinth.yaml", manifest);

  auto lint =
      RunPlinth({"--store", store, "lint", "--no-shellcheck", "--format", "json"}, {}, fleet);
  int pl107 = 0;
  for (const auto& f : nlohmann::json::parse(lint.out)) pl107 += f["code"] == "PL107";
  ASSERT_EQ(pl107, 3) << lint.out;

  auto fixed =
      RunPlinth({"--store", store, "lint", "--no-shellcheck", "--fix", "--insecure", server.host()},
                {{"DOCKER_CONFIG", dir / "docker"}, {"REGISTRY_AUTH_FILE", ""}}, fleet);
  EXPECT_EQ(fixed.exit_code, 1) << fixed.out << fixed.err;  // c's PL107 remains, an error
  EXPECT_EQ(Read(fleet + "/a/Dockerfile"), "FROM " + server.host() + "/upstream/base@" + pushed +
                                               "\nCOPY hello.txt /hello.txt\nUSER 65532\n");
  EXPECT_EQ(Read(fleet + "/b/Dockerfile"),
            "FROM local/only:latest@" + local + "\nCOPY hello.txt /hello.txt\nUSER 65532\n");
  EXPECT_EQ(Read(fleet + "/c/Dockerfile"),
            "FROM " + server.host() + "/upstream/missing\nCOPY hello.txt /hello.txt\nUSER 65532\n");
  EXPECT_THAT(fixed.err, HasSubstr("not fixed: "));
  EXPECT_THAT(fixed.err, HasSubstr("c/Dockerfile:1:1 [PL107] cannot resolve"));
  EXPECT_THAT(fixed.out, HasSubstr("[PL107]"));
  EXPECT_THAT(fixed.out, ::testing::Not(HasSubstr("a/Dockerfile:1:1: error [PL107]")));
}

TEST(LintFixPinTest, OnePlatformInTheStoreDoesNotPinAFleetOfTwo) {
  // A pin to one platform's manifest would break the other platform's build: the registry is
  // asked instead, and here it does not have the image.
  testing::RegistryServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  testing::ScratchDir dir;
  std::string store = dir / "store";
  ASSERT_FALSE(testing::WriteRegistryTestImage(store, server.host() + "/one/platform:latest",
                                               "linux/amd64", "one\n")
                   .empty());
  std::string fleet = dir / "fleet";
  testing::WriteTestFile(fleet + "/plinth.yaml",
                         "version: 1\nnamespace: cli\nimage: \"{namespace}/{name}:latest-{arch}\"\n"
                         "platforms: [linux/amd64, linux/arm64]\ntiers:\n  app: {}\n"
                         "groups:\n  apps: {phase: 1}\nservices:\n"
                         "  a:\n    dockerfile: a/Dockerfile\n    tier: app\n    group: apps\n");
  std::string dockerfile =
      "FROM " + server.host() + "/one/platform\nCOPY hello.txt /hello.txt\nUSER 65532\n";
  testing::WriteTestFile(fleet + "/a/Dockerfile", dockerfile);
  testing::WriteTestFile(fleet + "/a/hello.txt", "a\n");
  auto fixed =
      RunPlinth({"--store", store, "lint", "--no-shellcheck", "--fix", "--insecure", server.host()},
                {{"DOCKER_CONFIG", dir / "docker"}, {"REGISTRY_AUTH_FILE", ""}}, fleet);
  EXPECT_EQ(fixed.exit_code, 1) << fixed.out << fixed.err;
  EXPECT_EQ(Read(fleet + "/a/Dockerfile"), dockerfile);
  EXPECT_THAT(fixed.err, HasSubstr("[PL107] cannot resolve"));
  EXPECT_THAT(fixed.err, HasSubstr("the store holds one platform of it"));
}

}  // namespace
}  // namespace plinth
