// The cache key of a target, computed in memory: every input that reaches the image changes it,
// and the key's explanation names that input; what cannot reach the image leaves it alone.
#include "plan/target_key.h"

#include <gtest/gtest.h>

#include "plan/memory_sources.h"

namespace plinth::plan {
namespace {

using testing::DockerfileSpec;
using testing::MemorySources;

CacheKey KeyOf(const TargetSpec& spec, MemorySources& m, KeyOptions options = {}) {
  KeySources sources = m.sources();
  auto key = ComputeTargetKey(spec, options, sources);
  EXPECT_TRUE(key.ok()) << key.error().ToString();
  EXPECT_TRUE(key->complete());
  return key->key;
}

// What changed between two keys, as `plan --explain` names it.
std::vector<std::string> Changed(const CacheKey& before, const CacheKey& after) {
  EXPECT_NE(before.Digest(), after.Digest());
  return after.Diff(before);
}

constexpr const char* kLabelFromGlobalArg =
    "ARG MSG=one\n"
    "FROM scratch\n"
    "ARG MSG\n"
    "LABEL msg=$MSG\n";

TEST(TargetKeyTest, TheDefaultOfAGlobalArgIsAnInput) {
  MemorySources m;
  CacheKey one = KeyOf(DockerfileSpec(kLabelFromGlobalArg), m);
  std::string two = kLabelFromGlobalArg;
  two.replace(two.find("one"), 3, "two");
  EXPECT_EQ(Changed(one, KeyOf(DockerfileSpec(two), m)),
            std::vector<std::string>{"arg:MSG changed"});
  // A build arg overrides the default: its value is what the key sees.
  CacheKey overridden = KeyOf(DockerfileSpec(kLabelFromGlobalArg, {{"MSG", "three"}}), m);
  EXPECT_EQ(overridden.inputs().at("arg:MSG"), "three");
  EXPECT_EQ(overridden.inputs().at("build-arg:MSG"), "three");
}

TEST(TargetKeyTest, EveryAttributeOfAContextFileThatReachesTheImageIsAnInput) {
  MemorySources m;
  TargetSpec spec = DockerfileSpec("FROM scratch\nCOPY run.sh app/ /srv/\n");
  m.context.File("run.sh", "echo hi\n", 0755);
  m.context.File("app/main.py", "print(1)\n");
  m.context.Link("app/current", "main.py");
  CacheKey before = KeyOf(spec, m);
  EXPECT_EQ(before.inputs().at("context:run.sh"), "file 0755 sha256:" + Sha256::HexOf("echo hi\n"));

  m.context.at("run.sh").info.mode = 0644;  // chmod -x
  CacheKey chmod = KeyOf(spec, m);
  EXPECT_EQ(Changed(before, chmod), std::vector<std::string>{"context:run.sh changed"});
  m.context.at("run.sh").info.mode = 04755;  // setuid reaches the layer too
  EXPECT_EQ(Changed(chmod, KeyOf(spec, m)), std::vector<std::string>{"context:run.sh changed"});
  m.context.at("run.sh").info.mode = 0755;

  m.context.at("app/current").info.link_target = "other.py";  // a link inside a copied folder
  EXPECT_EQ(Changed(before, KeyOf(spec, m)),
            std::vector<std::string>{"context:app/current changed"});
  m.context.at("app/current").info.link_target = "main.py";

  m.context.at("app").info.mode = 0700;  // a folder's mode is copied with it
  EXPECT_EQ(Changed(before, KeyOf(spec, m)), std::vector<std::string>{"context:app changed"});
  m.context.at("app").info.mode = 0755;

  m.context.Remove("app/current");  // a file that is no longer there
  m.context.Dir("app/current");     // …and a folder in its place
  EXPECT_EQ(Changed(before, KeyOf(spec, m)),
            std::vector<std::string>{"context:app/current changed"});
}

TEST(TargetKeyTest, WhatCannotReachTheImageIsNotAnInput) {
  MemorySources m;
  std::string dockerfile = "FROM scratch\n# the app\nCOPY app/ /srv/\n";
  TargetSpec spec = DockerfileSpec(dockerfile, {}, "linux/amd64", "app/*.log\n");
  m.context.File("app/main.py", "print(1)\n");
  m.context.File("app/debug.log", "a\n");
  m.context.File("notes.txt", "read by no COPY\n");
  CacheKey before = KeyOf(spec, m);
  m.context.at("app/debug.log").content = "b\n";    // excluded by .dockerignore
  m.context.at("notes.txt").content = "changed\n";  // read by no COPY
  EXPECT_EQ(KeyOf(spec, m).Digest(), before.Digest());
  std::string commented =
      "# syntax=docker/dockerfile:1\nFROM scratch\n# another comment\nCOPY app/ /srv/\n";
  EXPECT_EQ(KeyOf(DockerfileSpec(commented, {}, "linux/amd64", "app/*.log\n"), m).Digest(),
            before.Digest());
  // Nothing outside the COPY's sources was even looked at.
  for (const auto& path : m.context.asked) EXPECT_NE(path, "notes.txt");
}

TEST(TargetKeyTest, TheDockerignoreInForceIsAnInputWhenTheContextIsRead) {
  MemorySources m;
  m.context.File("app/main.py", "print(1)\n");
  CacheKey before =
      KeyOf(DockerfileSpec("FROM scratch\nCOPY app/ /srv/\n", {}, "linux/amd64", "*.log\n"), m);
  CacheKey after =
      KeyOf(DockerfileSpec("FROM scratch\nCOPY app/ /srv/\n", {}, "linux/amd64", "*.tmp\n"), m);
  EXPECT_EQ(Changed(before, after), std::vector<std::string>{"dockerignore changed"});
  // A comment in .dockerignore changes no pattern.
  CacheKey commented = KeyOf(
      DockerfileSpec("FROM scratch\nCOPY app/ /srv/\n", {}, "linux/amd64", "# logs\n*.log\n"), m);
  EXPECT_EQ(commented.Digest(), before.Digest());
  EXPECT_EQ(KeyOf(DockerfileSpec("FROM scratch\nLABEL a=b\n", {}, "linux/amd64", "*.log\n"), m)
                .inputs()
                .count("dockerignore"),
            0u);
}

TEST(TargetKeyTest, LinksAreFollowedInsideTheContextOnlyForTheSourcePath) {
  MemorySources m;
  TargetSpec spec = DockerfileSpec("FROM scratch\nCOPY cfg/app.conf /etc/\n");
  m.context.Link("cfg", "/etc");  // absolute: the context's own etc/, never the host's
  m.context.File("etc/app.conf", "port=1\n");
  CacheKey before = KeyOf(spec, m);
  EXPECT_EQ(before.inputs().at("context:cfg"), "symlink -> /etc");
  EXPECT_EQ(before.inputs().at("context:etc/app.conf"),
            "file 0644 sha256:" + Sha256::HexOf("port=1\n"));
  m.context.at("etc/app.conf").content = "port=2\n";
  EXPECT_EQ(Changed(before, KeyOf(spec, m)),
            std::vector<std::string>{"context:etc/app.conf changed"});
  // `..` stops at the context's root.
  m.context.Link("cfg", "../../../etc");
  EXPECT_EQ(KeyOf(spec, m).inputs().at("context:etc/app.conf"),
            "file 0644 sha256:" + Sha256::HexOf("port=2\n"));
  // A loop of links is an error, not a hang.
  m.context.Link("cfg", "cfg");
  KeySources sources = m.sources();
  auto looped = ComputeTargetKey(spec, {}, sources);
  ASSERT_FALSE(looped.ok());
  EXPECT_NE(looped.error().message().find("symbolic links"), std::string::npos);
}

TEST(TargetKeyTest, HeredocBodiesAreInputs) {
  MemorySources m;
  auto spec = [](const std::string& body) {
    return DockerfileSpec("FROM scratch\nCOPY <<EOF /etc/motd\n" + body + "\nEOF\n");
  };
  CacheKey hello = KeyOf(spec("hello"), m);
  EXPECT_EQ(Changed(hello, KeyOf(spec("goodbye"), m)),
            std::vector<std::string>{"stage:#0 changed"});
}

TEST(TargetKeyTest, OnbuildTriggersOfTheBaseReadTheContext) {
  MemorySources m;
  m.images.Set("example/onbuild:1", "sha256:aa", {"COPY app.py /app/"});
  m.context.File("app.py", "print(1)\n");
  TargetSpec spec = DockerfileSpec("FROM example/onbuild:1\nLABEL a=b\n");
  CacheKey before = KeyOf(spec, m);
  EXPECT_EQ(before.inputs().at("base:example/onbuild:1"), "sha256:aa");
  m.context.at("app.py").content = "print(2)\n";
  EXPECT_EQ(Changed(before, KeyOf(spec, m)), std::vector<std::string>{"context:app.py changed"});
  // A stage's own ONBUILD runs in the stage built FROM it.
  m.context.File("lib.py", "x = 1\n");
  TargetSpec staged =
      DockerfileSpec("FROM scratch AS base\nONBUILD COPY lib.py /lib/\nFROM base\nLABEL a=b\n");
  CacheKey staged_before = KeyOf(staged, m);
  m.context.at("lib.py").content = "x = 2\n";
  EXPECT_EQ(Changed(staged_before, KeyOf(staged, m)),
            std::vector<std::string>{"context:lib.py changed"});
}

TEST(TargetKeyTest, BasesArePendingUntilTheyAreThereAndNeverFetched) {
  MemorySources m;
  TargetSpec spec = DockerfileSpec(
      "FROM pickme/base:latest AS build\nFROM scratch\nCOPY --from=build /a /a\n"
      "COPY --from=example/tools:1 /t /t\n");
  KeySources sources = m.sources();
  auto pending = ComputeTargetKey(spec, {}, sources);
  ASSERT_TRUE(pending.ok()) << pending.error().ToString();
  ASSERT_EQ(pending->missing.size(), 2u);
  EXPECT_EQ(pending->missing[0].ref, "pickme/base:latest");
  EXPECT_EQ(pending->missing[1].ref, "example/tools:1");
  m.images.Set("pickme/base:latest", "sha256:b1");
  m.images.Set("example/tools:1", "sha256:t1");
  CacheKey before = KeyOf(spec, m);
  m.images.Set("pickme/base:latest", "sha256:b2");
  EXPECT_EQ(Changed(before, KeyOf(spec, m)),
            std::vector<std::string>{"base:pickme/base:latest changed"});
}

TEST(TargetKeyTest, EpochPlatformAndBackendAreInputs) {
  MemorySources m;
  TargetSpec spec = DockerfileSpec("FROM scratch\nLABEL a=b\n");
  CacheKey zero = KeyOf(spec, m, {.epoch = 0, .backend = "buildah"});
  EXPECT_EQ(Changed(zero, KeyOf(spec, m, {.epoch = 1700000000, .backend = "buildah"})),
            std::vector<std::string>{"epoch changed"});
  // The backend only for targets that RUN.
  EXPECT_EQ(KeyOf(spec, m, {.backend = "podman"}).Digest(), zero.Digest());
  m.images.Set("debian:12", "sha256:d1");
  TargetSpec runs = DockerfileSpec("FROM debian:12\nRUN true\n");
  EXPECT_EQ(Changed(KeyOf(runs, m, {.backend = "buildah"}), KeyOf(runs, m, {.backend = "podman"})),
            std::vector<std::string>{"backend changed"});
  m.images.Set("debian:12", "sha256:d1", {}, "linux/arm64");
  std::vector<std::string> changed = Changed(
      KeyOf(runs, m), KeyOf(DockerfileSpec("FROM debian:12\nRUN true\n", {}, "linux/arm64"), m));
  EXPECT_NE(std::find(changed.begin(), changed.end(), "platform changed"), changed.end());
  EXPECT_NE(std::find(changed.begin(), changed.end(), "arg:TARGETARCH changed"), changed.end());
}

TEST(TargetKeyTest, ARecipeTargetReadsItsRecipeAndItsOwnLockSection) {
  MemorySources m;
  TargetSpec spec;
  spec.source = TargetSource::kUpstreamRecipe;
  spec.platform = *oci::Platform::Parse("linux/arm64");
  spec.image = "pickme/upstream-gcr-io-distroless-static-debian12:nonroot-arm64";
  spec.user = "65532";
  spec.recipe = "/fleet/bases/static.yaml";
  m.recipes.recipes["/fleet/bases/static.yaml arm64"] = {"sha256:r1", ""};
  CacheKey unlocked = KeyOf(spec, m);
  EXPECT_EQ(unlocked.inputs().at("user"), "65532");
  m.recipes.recipes["/fleet/bases/static.yaml arm64"] = {"sha256:r1", "sha256:l1"};
  EXPECT_EQ(Changed(unlocked, KeyOf(spec, m)), std::vector<std::string>{"recipe-lock added"});
}

TEST(TargetKeyTest, MissingSourcesAreTheBuildsErrorWithTheInstructionsLocation) {
  MemorySources m;
  KeySources sources = m.sources();
  auto key = ComputeTargetKey(DockerfileSpec("FROM scratch\nCOPY gone.txt /\n"), {}, sources);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().location().line, 2);
  EXPECT_NE(key.error().message().find("'gone.txt' does not exist"), std::string::npos);
}

}  // namespace
}  // namespace plinth::plan
