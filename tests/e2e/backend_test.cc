// End to end: `plinth build --backend …`, the tools that build Dockerfile stages that RUN. The
// fleet is the Lucid example limited to two targets: blockchain-engine, whose builder stage
// RUNs Python's compileall (its /app/server.pyc can only come from that RUN), and auth-service,
// which only copies.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e/image_unpack_support.h"
#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;
using testing::RunPlinth;

constexpr const char* kEngine = "blockchain-engine@linux/amd64";
constexpr const char* kAuth = "auth-service@linux/amd64";
constexpr const char* kEngineImage = "pickme/lucid-blockchain-engine:latest-amd64";
constexpr const char* kStageWhere = "services/blockchain-engine/Dockerfile:8";

struct Outcome {
  SubprocessResult run;
  std::map<std::string, std::string> targets;  // target → built|cached|failed|skipped
  std::map<std::string, std::string> detail;
};

class BackendTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fleet_ = new testing::ScratchDir();
    testing::CopyExampleFleet("lucid", Dir());
  }
  static void TearDownTestSuite() { delete fleet_; }
  static std::string Dir() { return fleet_->path() + "/lucid"; }
  static std::string Store() { return Dir() + "/.plinth/store"; }

  // `plinth build --backend BACKEND blockchain-engine auth-service` (the engine's stages forced
  // to build), with `env` added.
  static Outcome Build(const std::string& backend, const std::map<std::string, std::string>& env = {}) {
    Outcome o;
    o.run = RunPlinth({"build", "--platform", "linux/amd64", "--pull", "never", "-k", "--no-cache",
                       "--format", "json", "--backend", backend, "blockchain-engine", "auth-service"},
                      env, Dir());
    for (const auto& line : testing::JsonLines(o.run.out)) {
      if (line["event"] != "finish") continue;
      o.targets[line["target"]] = line["outcome"];
      if (line.contains("detail")) o.detail[line["target"]] = line["detail"];
    }
    return o;
  }

  // skopeo and umoci read the engine's image from the store; its /app holds what the RUN wrote.
  static void ExpectEngineImageHoldsTheRunOutput() {
    testing::ExpectEngineImageHoldsTheRunOutput(Store(), kEngineImage);
  }

  static testing::ScratchDir* fleet_;
};
testing::ScratchDir* BackendTest::fleet_ = nullptr;

TEST_F(BackendTest, PodmanBuildsTheRunStageIntoTheStore) {
  auto o = Build("podman");
  ASSERT_EQ(o.run.exit_code, 0) << o.run.out << o.run.err;
  EXPECT_EQ(o.targets[kEngine], "built");
  EXPECT_EQ(o.targets[kAuth], "built");
  EXPECT_EQ(RunPlinth({"--store", Store(), "store", "verify"}).exit_code, 0);

  ExpectEngineImageHoldsTheRunOutput();
}

TEST_F(BackendTest, NoneFailsNamingTheStageAndKeepGoingBuildsTheRest) {
  auto o = Build("none");
  EXPECT_NE(o.run.exit_code, 0);
  EXPECT_EQ(o.targets[kEngine], "failed") << o.run.out;
  EXPECT_EQ(o.targets[kAuth], "built") << o.run.out;
  const std::string& why = o.detail[kEngine];
  EXPECT_NE(why.find(kStageWhere), std::string::npos) << why;
  EXPECT_NE(why.find("stage builder RUNs commands"), std::string::npos) << why;
  EXPECT_NE(why.find("--backend none"), std::string::npos) << why;
  EXPECT_NE(why.find("apt-get install buildah"), std::string::npos) << why;
}

TEST_F(BackendTest, DockerBuildxBuildsOrSaysWhatIsMissing) {
  auto o = Build("docker-buildx");
  // What this machine has decides which path of the backend runs; each is asserted.
  bool has_docker = FindProgram("docker").has_value();
  bool has_buildx = has_docker && testing::Run({"docker", "buildx", "version"}).exit_code == 0;
  bool has_builder = has_buildx && testing::Run({"docker", "buildx", "inspect", "--bootstrap"}).exit_code == 0;
  EXPECT_EQ(o.targets[kAuth], "built") << o.run.out;
  if (has_builder) {
    EXPECT_EQ(o.run.exit_code, 0) << o.run.out << o.run.err;
    EXPECT_EQ(o.targets[kEngine], "built") << o.run.out;
    return;
  }
  EXPECT_NE(o.run.exit_code, 0);
  EXPECT_EQ(o.targets[kEngine], "failed") << o.run.out;
  const std::string& why = o.detail[kEngine];
  EXPECT_NE(why.find(kStageWhere), std::string::npos) << why;
  const char* expected = !has_docker   ? "docker is not installed"
                         : !has_buildx ? "docker buildx is not available"
                                       : "docker buildx has no usable builder";
  EXPECT_NE(why.find(expected), std::string::npos) << why;
}

// `docker buildx` cannot run on this machine (no plugin, no daemon), so this test puts a
// stand-in `docker` first on PATH: it accepts only the buildx flags plinth is meant to pass (as
// buildx's reference documents them), resolves the `oci-layout://DIR@sha256:…` build context in
// plinth's store, builds with buildah and writes the OCI tarball `--output type=oci,dest=` names.
// What it checks is plinth's side: the command line, and the import of the tarball.
constexpr const char* kDockerBuildxStandIn = R"py(#!/usr/bin/env python3
import json, os, subprocess, sys
a = sys.argv[1:]
if a[:2] == ["buildx", "version"]:
    sys.exit(print("github.com/docker/buildx v0.0.0 (plinth test stand-in)"))
if a[:3] == ["buildx", "inspect", "--bootstrap"]:
    sys.exit(print("Name: stand-in\nDriver: docker-container"))
if a[:2] != ["buildx", "build"]:
    sys.exit("stand-in: unexpected docker " + " ".join(a))
flags = {"--progress=plain", "--provenance=false", "--sbom=false"}
valued = {"--platform", "-f", "--output", "--build-arg", "--build-context"}
opts, build_args, contexts, positional, i = {}, [], {}, [], 2
while i < len(a):
    if a[i] in flags:
        i += 1
    elif a[i] in valued:
        if a[i] == "--build-arg": build_args.append(a[i + 1])
        elif a[i] == "--build-context": contexts.update([a[i + 1].split("=", 1)])
        else: opts[a[i]] = a[i + 1]
        i += 2
    elif a[i].startswith("-"):
        sys.exit("stand-in: unknown flag " + a[i])
    else:
        positional.append(a[i]); i += 1
output = dict(kv.split("=", 1) for kv in opts["--output"].split(","))
if len(positional) != 1 or output.get("type") != "oci" or set(output) != {"type", "dest"}:
    sys.exit("stand-in: bad command line " + " ".join(a))
dockerfile = open(opts["-f"]).read()
tags = []
for name, url in contexts.items():
    if not url.startswith("oci-layout:///") or "@sha256:" not in url:
        sys.exit("stand-in: build context " + url + " is not oci-layout:///DIR@sha256:...")
    layout, digest = url[len("oci-layout://"):].split("@")
    index = json.load(open(layout + "/index.json"))
    ref = next(m["annotations"]["org.opencontainers.image.ref.name"] for m in index["manifests"]
               if m["digest"] == digest and "org.opencontainers.image.ref.name" in m.get("annotations", {}))
    tag = "localhost/standin-" + name
    subprocess.run(["skopeo", "copy", "--quiet", "oci:" + layout + ":" + ref,
                    "containers-storage:" + tag], check=True)
    tags.append(tag)
    dockerfile = dockerfile.replace("FROM " + name + "\n", "FROM " + tag + "\n")
with open(opts["-f"] + ".buildah", "w") as f:
    f.write(dockerfile)
argv = ["buildah", "build", "--quiet", "--pull=never", "--platform", opts["--platform"],
        "-f", opts["-f"] + ".buildah", "-t", "localhost/standin-out"]
for arg in build_args: argv += ["--build-arg", arg]
built = subprocess.run(argv + positional)
pushed = built.returncode == 0 and subprocess.run(
    ["buildah", "push", "--quiet", "localhost/standin-out", "oci-archive:" + output["dest"]]).returncode == 0
subprocess.run(["buildah", "rmi", "-f", "localhost/standin-out"] + tags, capture_output=True)
sys.exit(0 if pushed else 1)
)py";

TEST_F(BackendTest, DockerBuildxCommandLineAndOciTarballImportThroughAStandIn) {
  testing::ScratchDir bin;
  testing::WriteTestFile(bin / "docker", kDockerBuildxStandIn, 0755);
  testing::ScratchDir containers;
  auto env = testing::ContainersEnv(containers / "c");
  env["PATH"] = bin.path() + ":" + std::getenv("PATH");
  auto o = Build("docker-buildx", env);
  ASSERT_EQ(o.run.exit_code, 0) << o.run.out << o.run.err;
  EXPECT_EQ(o.targets[kEngine], "built");
  EXPECT_EQ(RunPlinth({"--store", Store(), "store", "verify"}).exit_code, 0);
  ExpectEngineImageHoldsTheRunOutput();
}

TEST_F(BackendTest, AMissingToolIsNamedWithWhatToInstall) {
  // A PATH with every program of the machine's but podman.
  testing::ScratchDir bin;
  for (const char* dir : {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      std::string name = entry.path().filename();
      if (name == "podman" || fs::exists(bin / name) || fs::is_symlink(bin / name)) continue;
      fs::create_symlink(entry.path(), bin / name, ec);
    }
  }
  auto o = Build("podman", {{"PATH", bin.path()}});
  EXPECT_NE(o.run.exit_code, 0);
  EXPECT_EQ(o.targets[kAuth], "built") << o.run.out << o.run.err;
  const std::string& why = o.detail[kEngine];
  EXPECT_NE(why.find(kStageWhere), std::string::npos) << why;
  EXPECT_NE(why.find("podman is not installed (apt-get install podman skopeo)"), std::string::npos) << why;
}

TEST_F(BackendTest, AnUnknownBackendIsBadInputAndWritesNothing) {
  testing::ScratchDir fresh;
  testing::CopyExampleFleet("lucid", fresh / "lucid");
  auto r = RunPlinth({"build", "--backend", "rocket", "blockchain-engine"}, {}, fresh / "lucid");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--backend 'rocket': use native, buildah, podman, docker-buildx, none"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(fresh / "lucid/.plinth"));
}

}  // namespace
}  // namespace plinth
