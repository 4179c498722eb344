// End to end: moving services onto a changed base without rebuilding them. A small fleet in a
// scratch folder: a base built from scratch files (a static `show` program, /etc/os-release),
// `svc` whose builder stage RUNs through buildah (FROM scratch, a static program writing
// /out/artifact.txt) and whose final stage only copies onto the base, and `runner` whose final
// stage RUNs on the base, and `web`, native only. Checked with skopeo, umoci and podman.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;
using testing::RunPlinth;

constexpr const char* kManifest = R"(version: 1
namespace: pickme
image: "{namespace}/lucid-{name}:latest-{arch}"
platforms: [linux/amd64]
tiers:
  foundation:
    runtime_base: {allow: ["fleet:*"]}
groups:
  base: {phase: 0}
  foundation: {phase: 1}
bases:
  lucid-base:
    dockerfile: base/Dockerfile
    context: base
    image: "{namespace}/lucid-base:latest-{arch}"
    group: base
services:
  svc:
    dockerfile: svc/Dockerfile
    context: svc
    tier: foundation
    group: foundation
    base: lucid-base
  runner:
    dockerfile: runner/Dockerfile
    context: runner
    tier: foundation
    group: foundation
    base: lucid-base
  web:
    dockerfile: web/Dockerfile
    context: web
    tier: foundation
    group: foundation
    base: lucid-base
)";

// Writes /out/artifact.txt: what the RUN stages run.
constexpr const char* kMakeArtifact = R"(#include <stdio.h>
#include <sys/stat.h>
int main(void) {
  mkdir("/out", 0755);
  FILE* f = fopen("/out/artifact.txt", "w");
  if (!f) return 1;
  fputs("made by RUN\n", f);
  return fclose(f) != 0;
}
)";

// Prints the files named on its command line: the services' entrypoint (the base has no shell).
constexpr const char* kShow = R"(#include <stdio.h>
int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    FILE* f = fopen(argv[i], "r");
    if (!f) { printf("missing %s\n", argv[i]); continue; }
    char buf[256];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
    fclose(f);
  }
  return 0;
}
)";

void Compile(const std::string& source, const std::string& text, const std::string& out) {
  testing::WriteTestFile(source, text);
  fs::create_directories(fs::path(out).parent_path());
  auto cc = testing::Run({"gcc", "-static", "-O2", "-o", out, source});
  ASSERT_EQ(cc.exit_code, 0) << cc.err;
}

struct Finish {
  std::string outcome, detail, digest;
};

struct Events {
  std::map<std::string, Finish> finish;  // by target
  int built = -1, cached = -1;
};

Events ParseEvents(const std::string& out) {
  Events e;
  for (const auto& j : testing::JsonLines(out)) {
    if (j["event"] == "finish")
      e.finish[j["target"]] = {j.value("outcome", ""), j.value("detail", ""), j.value("digest", "")};
    if (j["event"] == "summary") e.built = j["built"], e.cached = j["cached"];
  }
  return e;
}

class RebaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteTestFile(Fleet() + "/plinth.yaml", kManifest);
    ASSERT_NO_FATAL_FAILURE(Compile(dir_ / "src/show.c", kShow, Fleet() + "/base/bin/show"));
    ASSERT_NO_FATAL_FAILURE(Compile(dir_ / "src/mk.c", kMakeArtifact, Fleet() + "/svc/mk"));
    fs::create_directories(Fleet() + "/runner");
    fs::copy_file(Fleet() + "/svc/mk", Fleet() + "/runner/mk");
    SetBaseVersion(1);
    testing::WriteTestFile(Fleet() + "/svc/Dockerfile",
                           "FROM scratch AS builder\nCOPY mk /mk\nRUN [\"/mk\"]\n\n"
                           "FROM pickme/lucid-base:latest-${TARGETARCH}\n"
                           "COPY --from=builder /out/ /app/\nENV APP=svc\nLABEL app=svc\n"
                           "ENTRYPOINT [\"/bin/show\", \"/etc/os-release\", \"/app/artifact.txt\"]\n");
    testing::WriteTestFile(Fleet() + "/runner/Dockerfile",
                           "FROM pickme/lucid-base:latest-${TARGETARCH}\nUSER 0\nCOPY mk /mk\n"
                           "RUN [\"/mk\"]\nUSER 65532\n");
    testing::WriteTestFile(Fleet() + "/web/page.txt", "hello\n");
    testing::WriteTestFile(Fleet() + "/web/Dockerfile",
                           "FROM scratch AS page\nCOPY page.txt /srv/\n"
                           "FROM pickme/lucid-base:latest-${TARGETARCH}\nCOPY --from=page /srv/ /srv/\n"
                           "ENV WEB=1\nEXPOSE 8080\nENTRYPOINT [\"/bin/show\", \"/srv/page.txt\"]\n");
    auto first = Build({});
    ASSERT_EQ(first.finish["svc@linux/amd64"].outcome, "built");
    ASSERT_EQ(first.finish["runner@linux/amd64"].outcome, "built");
  }

  std::string Fleet() const { return dir_ / "fleet"; }
  std::string Store() const { return dir_ / "fleet/.plinth/store"; }

  // The base's security fix: new file content, a new ENV value and label.
  void SetBaseVersion(int version) {
    std::string v = std::to_string(version);
    testing::WriteTestFile(Fleet() + "/base/etc/os-release", "ID=lucid\nVERSION=" + v + "\n");
    testing::WriteTestFile(Fleet() + "/base/Dockerfile",
                           "FROM scratch\nCOPY bin/ /bin/\nCOPY etc/ /etc/\nENV BASE_VERSION=" + v +
                               " SSL_CERT_FILE=/etc/ssl/" + v + ".pem\nLABEL base.version=" + v +
                               "\nUSER 65532\n");
  }

  // `plinth build --backend buildah --format json TARGET…`; `env` added (PATH without buildah,
  // say). The backend is named: with the default, native, a PATH without runc makes RUN stages
  // fall back to buildah, which keys them anew (what builds a stage is an input of its key).
  Events Build(std::vector<std::string> targets, const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> args{"build", "--platform", "linux/amd64", "--pull", "never",
                                  "--backend", "buildah", "--format", "json"};
    args.insert(args.end(), targets.begin(), targets.end());
    auto r = RunPlinth(args, env, Fleet());
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return ParseEvents(r.out);
  }

  // The manifest of `name` in the store, read by skopeo.
  nlohmann::json Manifest(const std::string& name) {
    auto r = testing::Run({"skopeo", "inspect", "--raw", "oci:" + Store() + ":" + name});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  nlohmann::json Config(const std::string& name) {
    auto r = testing::Run({"skopeo", "inspect", "--config", "oci:" + Store() + ":" + name});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  std::string Digest(const std::string& name) {
    auto r = RunPlinth({"--store", Store(), "image", "inspect", "--format", "json", name});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false).value("digest", "");
  }
  static std::vector<std::string> LayerDigests(const nlohmann::json& manifest) {
    std::vector<std::string> out;
    for (const auto& l : manifest["layers"]) out.push_back(l["digest"]);
    return out;
  }

  testing::ScratchDir dir_;
};

TEST_F(RebaseTest, BuildRebasesTheRunServiceOntoTheChangedBaseWithoutItsBackend) {
  const std::string svc = "pickme/lucid-svc:latest-amd64";
  auto before = Manifest(svc);
  auto before_config = Config(svc);
  auto old_base = Manifest("pickme/lucid-base:latest-amd64");
  ASSERT_EQ(before["layers"].size(), old_base["layers"].size() + 1);
  EXPECT_EQ(before["annotations"]["org.opencontainers.image.base.name"], "pickme/lucid-base:latest-amd64");
  EXPECT_EQ(before["annotations"]["org.opencontainers.image.base.digest"],
            Digest("pickme/lucid-base:latest-amd64"));

  SetBaseVersion(2);
  // No buildah, skopeo or anything else on PATH: a build that ran the RUN stage would fail.
  testing::ScratchDir empty_path;
  auto events = Build({"svc"}, {{"PATH", empty_path.path()}});
  EXPECT_EQ(events.finish["lucid-base@linux/amd64"].outcome, "built");
  const Finish& done = events.finish["svc@linux/amd64"];
  std::string new_base_digest = Digest("pickme/lucid-base:latest-amd64");
  EXPECT_EQ(done.outcome, "built");
  EXPECT_EQ(done.detail.rfind("rebased onto pickme/lucid-base:latest-amd64 " + new_base_digest, 0), 0u)
      << done.detail;

  // Layers: the new base's, then the service's own layer unchanged.
  auto after = Manifest(svc);
  auto new_base = Manifest("pickme/lucid-base:latest-amd64");
  auto expected = LayerDigests(new_base);
  expected.push_back(LayerDigests(before).back());
  EXPECT_EQ(LayerDigests(after), expected);
  EXPECT_NE(LayerDigests(new_base), LayerDigests(old_base));
  EXPECT_EQ(after["annotations"]["org.opencontainers.image.base.digest"], new_base_digest);
  EXPECT_EQ(done.digest, Digest(svc));

  // Config: diff_ids and history spliced; what the service inherited follows the new base, what
  // it set stays.
  auto config = Config(svc);
  auto base_config = Config("pickme/lucid-base:latest-amd64");
  auto diff_ids = base_config["rootfs"]["diff_ids"];
  diff_ids.push_back(before_config["rootfs"]["diff_ids"].back());
  EXPECT_EQ(config["rootfs"]["diff_ids"], diff_ids);
  ASSERT_GT(config["history"].size(), base_config["history"].size());
  for (size_t i = 0; i < base_config["history"].size(); ++i)
    EXPECT_EQ(config["history"][i], base_config["history"][i]) << i;
  EXPECT_EQ(config["history"].back()["created_by"],
            "ENTRYPOINT [\"/bin/show\",\"/etc/os-release\",\"/app/artifact.txt\"]");
  EXPECT_EQ(config["config"]["Env"], (nlohmann::json{"BASE_VERSION=2", "SSL_CERT_FILE=/etc/ssl/2.pem", "APP=svc"}));
  EXPECT_EQ(config["config"]["Labels"], (nlohmann::json{{"base.version", "2"}, {"app", "svc"}}));
  EXPECT_EQ(config["config"]["User"], "65532");

  // umoci unpacks it: the new base's files and the RUN stage's output.
  testing::ScratchDir work;
  auto copied = testing::Run({"skopeo", "copy", "--quiet", "oci:" + Store() + ":" + svc,
                              "oci:" + work.path() + "/layout:svc"});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  auto unpacked = testing::Run({"umoci", "unpack", "--rootless", "--image",
                                work.path() + "/layout:svc", work.path() + "/bundle"});
  ASSERT_EQ(unpacked.exit_code, 0) << unpacked.err;
  std::ifstream release(work.path() + "/bundle/rootfs/etc/os-release");
  std::string text((std::istreambuf_iterator<char>(release)), {});
  EXPECT_EQ(text, "ID=lucid\nVERSION=2\n");
  EXPECT_TRUE(fs::exists(work.path() + "/bundle/rootfs/app/artifact.txt"));

  // And it runs: podman shows the new base's file and the artifact, as uid 65532.
  auto env = testing::ContainersEnv(work / "containers");
  auto exported = RunPlinth({"--store", Store(), "image", "export", svc, "--format",
                             "docker-archive", "-o", work / "svc.tar"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  auto loaded = testing::Run({"podman", "load", "-i", work / "svc.tar"}, env);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  auto ran = testing::Run({"podman", "run", "--rm", "--network=none", "docker.io/" + svc}, env);
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out, "ID=lucid\nVERSION=2\nmade by RUN\n");

  // The rebased image is the cache entry: nothing to do next time.
  auto again = Build({"svc"}, {{"PATH", empty_path.path()}});
  EXPECT_EQ(again.finish["svc@linux/amd64"].outcome, "cached");
  EXPECT_EQ(RunPlinth({"--store", Store(), "store", "verify"}).exit_code, 0);
}

TEST_F(RebaseTest, BuildRebuildsTheServiceWhoseFinalStageRuns) {
  SetBaseVersion(2);
  auto events = Build({});
  const Finish& runner = events.finish["runner@linux/amd64"];
  EXPECT_EQ(runner.outcome, "built");
  EXPECT_EQ(runner.detail.find("rebased"), std::string::npos) << runner.detail;
  EXPECT_EQ(events.finish["svc@linux/amd64"].detail.rfind("rebased onto", 0), 0u);
}

TEST_F(RebaseTest, RebaseCommandMovesAServiceAndRefusesUnsafeOnes) {
  const std::string svc = "pickme/lucid-svc:latest-amd64";
  const std::string runner = "pickme/lucid-runner:latest-amd64";
  std::string svc_before = Digest(svc), runner_before = Digest(runner);
  SetBaseVersion(2);
  Build({"lucid-base"});
  std::string new_base = Digest("pickme/lucid-base:latest-amd64");

  // The final stage of runner RUNs on the base: refused, with the stage and the instruction.
  auto refused = RunPlinth({"rebase", "runner"}, {}, Fleet());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("cannot rebase runner@linux/amd64: stage #0 RUNs (Dockerfile:4: "
                             "RUN [\"/mk\"])"),
            std::string::npos) << refused.err;
  // One refusal writes nothing, the safe service included.
  auto both = RunPlinth({"rebase", "svc", "runner"}, {}, Fleet());
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(Digest(svc), svc_before);
  EXPECT_EQ(Digest(runner), runner_before);
  auto unknown = RunPlinth({"rebase", "nosuch"}, {}, Fleet());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("nosuch"), std::string::npos) << unknown.err;

  // svc moves onto what its recorded base name is now.
  auto moved = RunPlinth({"rebase", "svc"}, {}, Fleet());
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  std::string svc_after = Digest(svc);
  EXPECT_NE(svc_after, svc_before);
  EXPECT_NE(moved.out.find(svc_before + " -> " + svc_after), std::string::npos) << moved.out;
  EXPECT_NE(moved.out.find("-> pickme/lucid-base:latest-amd64 " + new_base), std::string::npos) << moved.out;
  EXPECT_EQ(Manifest(svc)["annotations"]["org.opencontainers.image.base.digest"], new_base);
  // Again, naming the base: nothing left to do.
  auto again = RunPlinth({"rebase", "svc", "--base", "pickme/lucid-base:latest-amd64"}, {}, Fleet());
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already on"), std::string::npos) << again.out;
  EXPECT_EQ(Digest(svc), svc_after);
  // plinth build makes the same image from its own records, without running the builder.
  testing::ScratchDir empty_path;
  auto built = Build({"svc"}, {{"PATH", empty_path.path()}});
  EXPECT_EQ(built.finish["svc@linux/amd64"].digest, svc_after);

  // A native service: the rebased image is the image a rebuild on the new base makes, digest
  // for digest (layers, config, history and annotations spliced as the stage engine builds).
  auto web = RunPlinth({"rebase", "web"}, {}, Fleet());
  ASSERT_EQ(web.exit_code, 0) << web.err;
  std::string web_rebased = Digest("pickme/lucid-web:latest-amd64");
  auto rebuilt = Build({"web"});
  EXPECT_EQ(rebuilt.finish["web@linux/amd64"].outcome, "built");
  EXPECT_EQ(rebuilt.finish["web@linux/amd64"].detail, "");
  EXPECT_EQ(rebuilt.finish["web@linux/amd64"].digest, web_rebased);
  EXPECT_EQ(RunPlinth({"--store", Store(), "store", "verify"}).exit_code, 0);
}

// `rebase --format json` (issue 14): one array, per target its old and new digest and base.
TEST_F(RebaseTest, RebaseCommandPrintsJson) {
  const std::string svc = "pickme/lucid-svc:latest-amd64";
  std::string svc_before = Digest(svc);
  SetBaseVersion(2);
  Build({"lucid-base"});
  std::string new_base = Digest("pickme/lucid-base:latest-amd64");
  auto moved = RunPlinth({"rebase", "svc", "--format", "json"}, {}, Fleet());
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  auto j = nlohmann::json::parse(moved.out, nullptr, false);
  ASSERT_TRUE(j.is_array() && j.size() == 1) << moved.out;
  EXPECT_EQ(j[0]["target"], "svc@linux/amd64");
  EXPECT_EQ(j[0]["image"], svc);
  EXPECT_EQ(j[0]["unchanged"], false);
  EXPECT_EQ(j[0]["old_digest"], svc_before);
  EXPECT_EQ(j[0]["new_digest"], Digest(svc));
  EXPECT_EQ(j[0]["new_base"]["name"], "pickme/lucid-base:latest-amd64");
  EXPECT_EQ(j[0]["new_base"]["digest"], new_base);
  EXPECT_NE(j[0]["old_base"]["digest"], new_base);
  // A refusal is one JSON error line, and nothing else.
  auto refused = RunPlinth({"rebase", "runner", "--format", "json"}, {}, Fleet());
  EXPECT_EQ(refused.exit_code, 2);
  auto e = nlohmann::json::parse(refused.err, nullptr, false);
  ASSERT_FALSE(e.is_discarded()) << refused.err;
  EXPECT_NE(e["error"]["message"].get<std::string>().find("cannot rebase runner"), std::string::npos)
      << refused.err;
}

}  // namespace
}  // namespace plinth
