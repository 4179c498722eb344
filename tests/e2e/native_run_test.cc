// End to end: RUN steps run natively (the default backend): runc over overlay snapshots, a cache
// per step, secrets and cache mounts, failures naming the line. The fleet is the Lucid example;
// its blockchain-engine builds as it is, then with test Dockerfiles in its place. Those run
// Python (the distroless base has no shell), as the SHELL too, so shell form and heredocs run.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e/image_unpack_support.h"
#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;
using testing::RunPlinth;

constexpr const char* kEngine = "blockchain-engine@linux/amd64";
constexpr const char* kEngineImage = "pickme/lucid-blockchain-engine:latest-amd64";

struct Outcome {
  SubprocessResult run;
  std::map<std::string, std::string> targets;  // target → built|cached|failed|skipped
  std::map<std::string, std::string> detail;
  std::vector<std::string> steps;  // the engine's step events, in order
  std::string output;              // what the engine's RUN steps printed (output events)
};

class NativeRunTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::CopyExampleFleet("lucid", Dir()); }
  std::string Dir() const { return dir_.path() + "/lucid"; }
  std::string Store() const { return Dir() + "/.plinth/store"; }
  std::string EngineDockerfile() const { return Dir() + "/services/blockchain-engine/Dockerfile"; }

  // `plinth build` of the engine with the default backend, json events.
  Outcome Build(std::vector<std::string> extra = {},
                const std::vector<std::string>& targets = {"blockchain-engine"},
                const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> args{"build", "--platform", "linux/amd64", "--pull", "never",
                                  "-k",    "--no-lint",  "--format",    "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), targets.begin(), targets.end());
    Outcome o;
    o.run = RunPlinth(args, env, Dir());
    for (const auto& line : testing::JsonLines(o.run.out)) {
      if (line["event"] == "step" && line["target"] == kEngine) o.steps.push_back(line["step"]);
      if (line["event"] == "output" && line["target"] == kEngine)
        o.output += line["text"].get<std::string>();
      if (line["event"] != "finish") continue;
      o.targets[line["target"]] = line["outcome"];
      if (line.contains("detail")) o.detail[line["target"]] = line["detail"];
    }
    return o;
  }

  std::string Unpacked() {
    std::string rootfs = testing::UnpackStoreImage(
        Store(), kEngineImage, unpack_.path() + "/" + std::to_string(unpacks_++));
    EXPECT_FALSE(rootfs.empty());
    return rootfs;
  }

  static std::vector<std::string> Cached(const Outcome& o) {
    std::vector<std::string> cached;
    for (const auto& s : o.steps)
      if (s.rfind("CACHED ", 0) == 0) cached.push_back(s.substr(7));
    return cached;
  }

  testing::ScratchDir dir_;
  testing::ScratchDir unpack_;
  int unpacks_ = 0;
};

TEST_F(NativeRunTest, TheEnginesRunStageBuildsNativelyByDefault) {
  auto o = Build({}, {"blockchain-engine", "auth-service"});
  ASSERT_EQ(o.run.exit_code, 0) << o.run.out << o.run.err;
  EXPECT_EQ(o.targets[kEngine], "built");
  EXPECT_EQ(o.targets["auth-service@linux/amd64"], "built");
  // Natively: no fallback was taken, no backend stage ran.
  EXPECT_EQ(o.detail.count(kEngine), 0u) << o.detail[kEngine];
  for (const auto& s : o.steps) EXPECT_EQ(s.find("buildah"), std::string::npos) << s;
  EXPECT_EQ(RunPlinth({"--store", Store(), "store", "verify"}).exit_code, 0);
  testing::ExpectEngineImageHoldsTheRunOutput(Store(), kEngineImage);
  // The history says what BuildKit's does for that RUN.
  auto inspect =
      testing::Run({"skopeo", "inspect", "--config", "oci:" + Store() + ":" + kEngineImage});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  // (the final stage only copies the RUN's output; the builder stage's history is not in it)
  EXPECT_NE(inspect.out.find("COPY --from=builder"), std::string::npos);
}

TEST_F(NativeRunTest, WithoutRuncTheRunStageFallsBackToBuildahSayingWhy) {
  // This machine's PATH without runc: native RUN cannot run (buildah finds its runtime through
  // its own configuration, and the rest of what it calls is there).
  testing::ScratchDir bin;
  std::string path = std::getenv("PATH");
  for (size_t start = 0; start <= path.size();) {
    size_t colon = std::min(path.find(':', start), path.size());
    std::string dir = path.substr(start, colon - start);
    start = colon + 1;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir.empty() ? "." : dir, ec)) {
      std::string name = entry.path().filename();
      if (name != "runc" && !fs::exists(fs::symlink_status(bin / name)))
        fs::create_symlink(entry.path(), bin / name);
    }
  }
  ASSERT_FALSE(fs::exists(bin / "runc"));
  testing::ScratchDir containers;
  auto env = testing::ContainersEnv(containers / "c");
  env["PATH"] = bin.path();
  auto o = Build({"--no-cache"}, {"blockchain-engine"}, env);
  ASSERT_EQ(o.run.exit_code, 0) << o.run.out << o.run.err;
  EXPECT_EQ(o.targets[kEngine], "built");
  const std::string& note = o.detail[kEngine];
  EXPECT_NE(note.find("native RUN unavailable: runc is not on PATH"), std::string::npos)
      << o.run.out;
  EXPECT_NE(note.find("built with buildah"), std::string::npos) << note;
  EXPECT_TRUE(std::any_of(o.steps.begin(), o.steps.end(), [](const std::string& s) {
    return s.rfind("native RUN unavailable", 0) == 0;
  })) << o.run.out;
  testing::ExpectEngineImageHoldsTheRunOutput(Store(), kEngineImage);

  // Its key says buildah built it: where runc is back, the stage runs natively instead of the
  // buildah image being served from the cache; and the other way round.
  auto native = Build({}, {"blockchain-engine"});
  ASSERT_EQ(native.run.exit_code, 0) << native.run.out << native.run.err;
  EXPECT_EQ(native.targets[kEngine], "built") << native.run.out;
  auto again = Build({}, {"blockchain-engine"}, env);
  ASSERT_EQ(again.run.exit_code, 0) << again.run.out << again.run.err;
  EXPECT_EQ(again.targets[kEngine], "cached") << again.run.out;
}

constexpr const char* kMultiRun = R"df(FROM gcr.io/distroless/python3-debian12:nonroot
USER 0
SHELL ["/usr/bin/python3", "-c"]
ARG GREETING=hello
RUN open('/one', 'w').write('1')
RUN <<EOF
import os
open('/two', 'w').write(os.environ['GREETING'] + ' ' + os.getcwd())
EOF
RUN ["/usr/bin/python3", "-c", "open('/three', 'w').write('LAST')"]
USER 65532:65532
)df";

TEST_F(NativeRunTest, AChangedLastRunIsTheOnlyStepThatRunsAgain) {
  testing::WriteTestFile(EngineDockerfile(), kMultiRun);
  auto first = Build();
  ASSERT_EQ(first.run.exit_code, 0) << first.run.out << first.run.err;
  EXPECT_EQ(first.targets[kEngine], "built");
  EXPECT_TRUE(Cached(first).empty()) << first.run.out;
  std::string rootfs = Unpacked();
  EXPECT_EQ(ReadFile(rootfs + "/one").value_or(""), "1");
  EXPECT_EQ(ReadFile(rootfs + "/two").value_or(""), "hello /");  // the ARG is in the env
  EXPECT_EQ(ReadFile(rootfs + "/three").value_or(""), "LAST");
  size_t records = std::distance(fs::directory_iterator(Store() + "/plinth/step-cache"),
                                 fs::directory_iterator());
  EXPECT_EQ(records, 3u);

  std::string changed = kMultiRun;
  changed.replace(changed.find("LAST"), 4, "CHANGED");
  testing::WriteTestFile(EngineDockerfile(), changed);
  auto second = Build();
  ASSERT_EQ(second.run.exit_code, 0) << second.run.out << second.run.err;
  EXPECT_EQ(second.targets[kEngine], "built");
  auto cached = Cached(second);
  ASSERT_EQ(cached.size(), 2u) << second.run.out;
  EXPECT_EQ(cached[0], "RUN open('/one', 'w').write('1')");
  EXPECT_EQ(cached[1].rfind("RUN <<EOF", 0), 0u) << cached[1];
  rootfs = Unpacked();
  EXPECT_EQ(ReadFile(rootfs + "/one").value_or(""), "1");
  EXPECT_EQ(ReadFile(rootfs + "/three").value_or(""), "CHANGED");
  records = std::distance(fs::directory_iterator(Store() + "/plinth/step-cache"),
                          fs::directory_iterator());
  EXPECT_EQ(records, 4u);

  // --no-cache runs every step and still records them, as BuildKit does: the next build (of
  // a target changed only after its RUNs) finds all three.
  changed.replace(changed.find("CHANGED"), 7, "THIRD");
  testing::WriteTestFile(EngineDockerfile(), changed);
  auto uncached = Build({"--no-cache"});
  ASSERT_EQ(uncached.run.exit_code, 0) << uncached.run.out << uncached.run.err;
  EXPECT_TRUE(Cached(uncached).empty()) << uncached.run.out;
  changed.replace(changed.find("USER 65532:65532"), 16, "USER 65533:65533");
  testing::WriteTestFile(EngineDockerfile(), changed);
  auto after = Build();
  ASSERT_EQ(after.run.exit_code, 0) << after.run.out << after.run.err;
  EXPECT_EQ(Cached(after).size(), 3u) << after.run.out;
  EXPECT_EQ(ReadFile(Unpacked() + "/three").value_or(""), "THIRD");
  // Nothing of the steps is left in the steps' folder.
  EXPECT_TRUE(!fs::exists(Store() + "/plinth/steps-run") ||
              fs::is_empty(Store() + "/plinth/steps-run"));
}

TEST_F(NativeRunTest, AFailingRunNamesItsLineItsExitCodeAndItsOutput) {
  testing::WriteTestFile(EngineDockerfile(), R"df(FROM gcr.io/distroless/python3-debian12:nonroot
USER 0
RUN ["/usr/bin/python3", "-c", "print('boom from the step'); raise SystemExit(3)"]
)df");
  auto o = Build();
  EXPECT_NE(o.run.exit_code, 0);
  EXPECT_EQ(o.targets[kEngine], "failed") << o.run.out;
  const std::string& why = o.detail[kEngine];
  EXPECT_NE(why.find("services/blockchain-engine/Dockerfile:3"), std::string::npos) << why;
  EXPECT_NE(why.find("exited with code 3"), std::string::npos) << why;
  EXPECT_NE(why.find("boom from the step"), std::string::npos) << why;
  // It was streamed as it ran, too.
  EXPECT_NE(o.output.find("boom from the step\n"), std::string::npos) << o.run.out;
  EXPECT_TRUE(!fs::exists(Store() + "/plinth/steps-run") ||
              fs::is_empty(Store() + "/plinth/steps-run"));
}

// A heredoc with a shebang runs as /dev/pipes/NAME (the SHELL here execs its argument); binds
// from the context (read-only) and from another stage (rw: a throwaway copy), a tmpfs, and a
// USER name looked up in the image's /etc/passwd, --network=none. No mount point reaches the
// image.
TEST_F(NativeRunTest, HeredocFilesMountsAndANamedUser) {
  testing::WriteTestFile(EngineDockerfile(), R"df(FROM gcr.io/distroless/python3-debian12:nonroot AS data
USER 0
RUN ["/usr/bin/python3", "-c", "import os; os.makedirs('/data'); open('/data/f', 'w').write('stage')"]

FROM gcr.io/distroless/python3-debian12:nonroot
USER 0
SHELL ["/usr/bin/python3", "-c", "import os, sys; os.execv(sys.argv[1], sys.argv[1:])"]
RUN <<EOT
#!/usr/bin/python3
open('/piped', 'w').write(__file__)
EOT
RUN --mount=type=bind,source=src,target=/ctx --mount=type=bind,from=data,source=/data,target=/d,rw --mount=type=tmpfs,target=/scratch ["/usr/bin/python3", "-c", "import os; open('/d/f', 'a').write('+'); open('/scratch/x', 'w').write('t'); open('/mounts', 'w').write(' '.join(sorted(os.listdir('/ctx'))) + '|' + open('/d/f').read())"]
RUN --mount=type=bind,from=data,source=/data,target=/d ["/usr/bin/python3", "-c", "open('/again', 'w').write(open('/d/f').read())"]
RUN --network=none ["/usr/bin/python3", "-c", "import os, socket; open('/net', 'w').write(' '.join(sorted(os.listdir('/sys/class/net'))) + ' ' + socket.gethostname())"]
USER nonroot
RUN ["/usr/bin/python3", "-c", "import os; open('/tmp/ids', 'w').write('%d %d %s' % (os.getuid(), os.getgid(), os.getcwd()))"]
)df");
  auto o = Build();
  ASSERT_EQ(o.run.exit_code, 0) << o.run.out << o.run.err;
  std::string rootfs = Unpacked();
  EXPECT_EQ(ReadFile(rootfs + "/piped").value_or(""), "/dev/pipes/EOT");
  EXPECT_EQ(ReadFile(rootfs + "/mounts").value_or(""), "server.py|stage+");
  EXPECT_EQ(ReadFile(rootfs + "/again").value_or(""), "stage");  // rw wrote into a copy
  EXPECT_EQ(ReadFile(rootfs + "/tmp/ids").value_or(""), "65532 65532 /");
  // --network=none: only a loopback; the hostname BuildKit gives every RUN.
  EXPECT_EQ(ReadFile(rootfs + "/net").value_or(""), "lo buildkitsandbox");
  for (const char* stub : {"/ctx", "/d", "/scratch", "/dev/pipes"})
    EXPECT_FALSE(fs::exists(fs::symlink_status(rootfs + stub))) << stub;
}

// A bind of the context shows what .dockerignore lets through, as BuildKit's context does: an
// ignored file never reaches a step (nor the step's key), read-only or rw.
TEST_F(NativeRunTest, ABindOfTheContextHonoursDockerignore) {
  const std::string context = Dir() + "/services/blockchain-engine";
  // The Dockerfile too: the test changes it below, and the second RUN binds the whole context.
  testing::WriteTestFile(context + "/.dockerignore", "src/.env\n**/*.key\nDockerfile\n");
  testing::WriteTestFile(context + "/src/.env", "TOKEN=from-the-host\n");
  testing::WriteTestFile(context + "/src/deploy.key", "private\n");
  testing::WriteTestFile(EngineDockerfile(), R"df(FROM gcr.io/distroless/python3-debian12:nonroot
USER 0
RUN --mount=type=bind,source=src,target=/ctx ["/usr/bin/python3", "-c", "import os; open('/seen', 'w').write(' '.join(sorted(os.listdir('/ctx'))))"]
RUN --mount=type=bind,target=/all,rw ["/usr/bin/python3", "-c", "import os; open('/seen-rw', 'w').write(' '.join(sorted(os.listdir('/all/src')))); open('/all/src/server.py', 'a').write('# changed')"]
)df");
  auto o = Build();
  ASSERT_EQ(o.run.exit_code, 0) << o.run.out << o.run.err;
  std::string rootfs = Unpacked();
  EXPECT_EQ(ReadFile(rootfs + "/seen").value_or(""), "server.py");
  EXPECT_EQ(ReadFile(rootfs + "/seen-rw").value_or(""), "server.py");
  // The rw step wrote into a copy: the context file is as it was.
  EXPECT_EQ(ReadFile(context + "/src/server.py")->find("# changed"), std::string::npos);
  // An ignored file is no input either: changing it leaves every step cached.
  testing::WriteTestFile(context + "/src/.env", "TOKEN=rotated\n");
  testing::WriteTestFile(EngineDockerfile(), ReadFile(EngineDockerfile()).value() + "USER 65532\n");
  auto again = Build();
  ASSERT_EQ(again.run.exit_code, 0) << again.run.out << again.run.err;
  EXPECT_EQ(Cached(again).size(), 2u) << again.run.out;
  (void)fs::remove(context + "/.dockerignore");
  (void)fs::remove(context + "/src/.env");
  (void)fs::remove(context + "/src/deploy.key");
}

// An ONBUILD RUN trigger of a base runs natively in the stage built on it.
TEST_F(NativeRunTest, OnbuildRunTriggersRunNatively) {
  testing::WriteTestFile(EngineDockerfile(), R"df(FROM gcr.io/distroless/python3-debian12:nonroot AS parent
USER 0
ONBUILD RUN ["/usr/bin/python3", "-c", "open('/triggered', 'w').write('yes')"]

FROM parent
RUN ["/usr/bin/python3", "-c", "open('/after', 'w').write(open('/triggered').read())"]
)df");
  auto o = Build();
  ASSERT_EQ(o.run.exit_code, 0) << o.run.out << o.run.err;
  std::string rootfs = Unpacked();
  EXPECT_EQ(ReadFile(rootfs + "/triggered").value_or(""), "yes");
  EXPECT_EQ(ReadFile(rootfs + "/after").value_or(""), "yes");

  // A stage with no RUN of its own runs its base's trigger natively too.
  testing::WriteTestFile(EngineDockerfile(), R"df(FROM gcr.io/distroless/python3-debian12:nonroot AS parent
USER 0
ONBUILD RUN ["/usr/bin/python3", "-c", "open('/only-trigger', 'w').write('ran')"]

FROM parent
LABEL org.opencontainers.image.title="lucid-blockchain-engine"
)df");
  o = Build();
  ASSERT_EQ(o.run.exit_code, 0) << o.run.out << o.run.err;
  EXPECT_EQ(ReadFile(Unpacked() + "/only-trigger").value_or(""), "ran");
}

constexpr const char* kSecretValue = "s3cr3t-value-plinth-must-never-store";

TEST_F(NativeRunTest, ASecretReachesTheStepAndNothingElse) {
  testing::WriteTestFile(EngineDockerfile(), R"df(FROM gcr.io/distroless/python3-debian12:nonroot
USER 0
RUN --mount=type=secret,id=tok,required=true ["/usr/bin/python3", "-c", "import hashlib; open('/tok.sha', 'w').write(hashlib.sha256(open('/run/secrets/tok', 'rb').read()).hexdigest())"]
)df");
  testing::ScratchDir secrets;
  testing::WriteTestFile(secrets / "tok", kSecretValue, 0600);

  auto missing = Build();
  EXPECT_EQ(missing.targets[kEngine], "failed") << missing.run.out;
  EXPECT_NE(missing.detail[kEngine].find("secret 'tok' is required"), std::string::npos)
      << missing.detail[kEngine];

  auto no_file = Build({"--secret", "id=tok,src=" + secrets / "absent"});
  EXPECT_EQ(no_file.run.exit_code, 2);
  EXPECT_NE(no_file.run.err.find(secrets / "absent"), std::string::npos) << no_file.run.err;

  auto o = Build({"--secret", "id=tok,src=" + secrets / "tok"});
  ASSERT_EQ(o.run.exit_code, 0) << o.run.out << o.run.err;
  std::string rootfs = Unpacked();
  EXPECT_EQ(ReadFile(rootfs + "/tok.sha").value_or(""), Sha256::HexOf(kSecretValue));
  EXPECT_FALSE(fs::exists(rootfs + "/run/secrets/tok"));
  EXPECT_EQ(o.run.out.find(kSecretValue), std::string::npos);
  // No blob of the store (layers unzipped) and no step cache record holds it.
  auto grep =
      testing::Run({"sh", "-c",
                    "for b in \"$0\"/blobs/sha256/*; do zcat -f \"$b\"; done | grep -c -a \"$1\"; "
                    "grep -r -l -a \"$1\" \"$0\"/plinth/step-cache | wc -l",
                    Store(), kSecretValue});
  EXPECT_EQ(grep.out, "0\n0\n") << grep.out << grep.err;
}

TEST_F(NativeRunTest, ACacheMountIsKeptAcrossBuildsAndStaysOutOfTheImage) {
  testing::WriteTestFile(EngineDockerfile(), R"df(FROM gcr.io/distroless/python3-debian12:nonroot
USER 0
RUN --mount=type=cache,target=/var/cache/counter,sharing=locked ["/usr/bin/python3", "-c", "import os; p = '/var/cache/counter/n'; n = int(open(p).read()) + 1 if os.path.exists(p) else 1; open(p, 'w').write(str(n)); open('/count', 'w').write(str(n))"]
)df");
  auto first = Build({"--no-cache"});
  ASSERT_EQ(first.run.exit_code, 0) << first.run.out << first.run.err;
  EXPECT_EQ(ReadFile(Unpacked() + "/count").value_or(""), "1");
  auto second = Build({"--no-cache"});
  ASSERT_EQ(second.run.exit_code, 0) << second.run.out << second.run.err;
  std::string rootfs = Unpacked();
  EXPECT_EQ(ReadFile(rootfs + "/count").value_or(""), "2");
  EXPECT_FALSE(fs::exists(rootfs + "/var/cache/counter/n"));
}

}  // namespace
}  // namespace plinth
