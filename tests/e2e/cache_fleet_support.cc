#include "e2e/cache_fleet_support.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::testing {
namespace {

namespace fs = std::filesystem;

// Both fleets' plinth.yaml start alike: one tier without rules, a base built FROM scratch.
constexpr const char* kManifestTop = R"(version: 1
namespace: cks
image: "{namespace}/{name}:latest-{arch}"
platforms: [linux/amd64]
tiers:
  any: {description: no rules}
groups:
  base: {phase: 0}
  apps: {phase: 1}
bases:
  base:
    dockerfile: base/Dockerfile
    context: base
    group: base
)";

constexpr const char* kManifest = R"(  obase:
    dockerfile: obase/Dockerfile
    context: obase
    group: base
services:
  app:
    dockerfile: app/Dockerfile
    context: app
    tier: any
    group: apps
    build_args: {GREETING: hello}
  multi:
    dockerfile: multi/Dockerfile
    context: multi
    tier: any
    group: apps
  child:
    dockerfile: child/Dockerfile
    context: child
    tier: any
    group: apps
  tools:
    dockerfile: tools/Dockerfile
    context: tools
    tier: any
    group: apps
)";

constexpr const char* kApp = R"(# syntax=docker/dockerfile:1
ARG MSG=one
FROM cks/base:latest-${TARGETARCH} AS build
COPY src/ /src/
COPY --chmod=0640 config.ini /src/config.ini

FROM cks/base:latest-${TARGETARCH}
ARG MSG
ARG GREETING=hey
LABEL msg=$MSG greeting=$GREETING
COPY --from=build /src /app
COPY --chown=nonroot:nonroot run.sh /app/run.sh
COPY <<EOF /etc/motd
welcome, $GREETING
EOF
USER nonroot
CMD ["/app/run.sh"]
)";

constexpr const char* kMulti = R"(FROM scratch AS assets
COPY assets/*.txt /assets/
COPY data /data

FROM cks/base:latest-${TARGETARCH}
ARG TARGETARCH
COPY --from=assets /assets /srv/assets
COPY --from=assets /data /srv/data
COPY --from=cks/app:latest-${TARGETARCH} /app/main.py /srv/main.py
WORKDIR /srv/work
ENV MODE=prod
)";

constexpr const char* kRunManifest = R"(services:
  svc:
    dockerfile: svc/Dockerfile
    context: svc
    tier: any
    group: apps
    build_args: {LEVEL: "1"}
)";

// What svc's RUN stage runs: /out/artifact.txt holds the input's mode, $LEVEL and its content.
constexpr const char* kMake = R"(#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
int main(int argc, char** argv) {
  struct stat st;
  if (argc < 2 || stat(argv[1], &st) != 0) return 1;
  mkdir("/out", 0755);
  FILE* in = fopen(argv[1], "r");
  FILE* out = fopen("/out/artifact.txt", "w");
  if (!in || !out) return 1;
  const char* level = getenv("LEVEL");
  fprintf(out, "mode=%o level=%s\n", (unsigned)(st.st_mode & 07777), level ? level : "-");
  char buf[256];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
  return fclose(out) != 0;
}
)";

// A tar archive of `files` (name → content), made by tar itself with fixed metadata.
void WriteArchive(const FleetDir& fleet, const std::string& rel,
                  const std::map<std::string, std::string>& files) {
  ScratchDir staging;
  for (const auto& [name, content] : files) WriteTestFile(staging / name, content);
  auto made = Run({"tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                   "-cf", fleet / rel, "-C", staging.path(), "."});
  ASSERT_EQ(made.exit_code, 0) << made.err;
}

std::string Target(const std::string& name) { return name + "@linux/amd64"; }

Mutation Rebuilds(std::string name, std::map<std::string, std::string> rebuilds,
                  std::function<void(FleetDir&)> apply) {
  return {std::move(name), Expect::kRebuilds, std::move(rebuilds), std::move(apply)};
}

Mutation StaysCached(std::string name, std::function<void(FleetDir&)> apply) {
  return {std::move(name), Expect::kStaysCached, {}, std::move(apply)};
}

Mutation SameImages(std::string name, std::function<void(FleetDir&)> apply) {
  return {std::move(name), Expect::kSameImages, {}, std::move(apply)};
}

}  // namespace

void FleetDir::Write(const std::string& rel, const std::string& content, int mode) const {
  WriteTestFile(*this / rel, content, mode);
}

void FleetDir::Append(const std::string& rel, const std::string& text) const {
  auto before = ReadFile(*this / rel);
  ASSERT_TRUE(before.ok()) << rel;
  struct stat st;
  ASSERT_EQ(lstat((*this / rel).c_str(), &st), 0);
  WriteTestFile(*this / rel, *before + text, st.st_mode & 07777);
}

void FleetDir::Replace(const std::string& rel, const std::string& from,
                       const std::string& to) const {
  auto text = ReadFile(*this / rel);
  ASSERT_TRUE(text.ok()) << rel;
  size_t at = text->find(from);
  ASSERT_NE(at, std::string::npos) << "'" << from << "' is not in " << rel;
  std::string changed = *text;
  for (; at != std::string::npos; at = changed.find(from, at + to.size()))
    changed.replace(at, from.size(), to);
  struct stat st;
  ASSERT_EQ(lstat((*this / rel).c_str(), &st), 0);
  WriteTestFile(*this / rel, changed, st.st_mode & 07777);
}

void FleetDir::Chmod(const std::string& rel, int mode) const {
  ASSERT_EQ(chmod((*this / rel).c_str(), mode), 0) << rel;
}

void FleetDir::Link(const std::string& rel, const std::string& target) const {
  fs::remove_all(*this / rel);
  fs::create_directories(fs::path(*this / rel).parent_path());
  fs::create_symlink(target, *this / rel);
}

void FleetDir::Remove(const std::string& rel) const { fs::remove_all(*this / rel); }

void FleetDir::Touch(const std::string& rel) const {
  fs::last_write_time(*this / rel, fs::last_write_time(*this / rel) + std::chrono::hours(1));
}

void FleetDir::Read(const std::string& rel) const {
  // O_NOATIME aside, reading moves the atime when it is older than the mtime (relatime): set it
  // back first so that the read below changes it for sure.
  struct timespec times[2] = {{0, 0}, {0, UTIME_OMIT}};
  ASSERT_EQ(utimensat(AT_FDCWD, (*this / rel).c_str(), times, 0), 0);
  ASSERT_TRUE(ReadFile(*this / rel).ok());
}

void FleetDir::Chown(const std::string& rel, int uid, int gid) const {
  ASSERT_EQ(lchown((*this / rel).c_str(), uid, gid), 0) << rel;
}

void WriteNativeFleet(const FleetDir& f) {
  f.Write("plinth.yaml", std::string(kManifestTop) + kManifest);
  f.Write("base/Dockerfile", "FROM scratch\nCOPY rootfs/ /\nLABEL org.example.role=base\n");
  f.Write("base/rootfs/etc/passwd",
          "root:x:0:0:root:/root:/sbin/nologin\n"
          "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
  f.Write("base/rootfs/etc/group", "root:x:0:\nnonroot:x:65532:\n");
  f.Write("base/rootfs/bin/tool", "#!tool\n", 0755);
  f.Write("base/rootfs/bin/other", "#!other\n", 0755);
  f.Link("base/rootfs/lib/tool.so", "../bin/tool");
  f.Write("base/rootfs/home/nonroot/.keep", "");
  f.Chmod("base/rootfs/home/nonroot", 0700);

  f.Write("obase/Dockerfile",
          "FROM scratch\nCOPY hello.txt /hello.txt\nONBUILD COPY onbuild.txt /etc/onbuild.txt\n"
          "ONBUILD LABEL org.example.child=yes\n");
  f.Write("obase/hello.txt", "hello\n");

  f.Write("app/Dockerfile", kApp);
  f.Write("app/.dockerignore", "**/*.log\nsecret/\n");
  f.Write("app/src/main.py", "print('main')\n");
  f.Write("app/src/lib/util.py", "X = 1\n");
  f.Link("app/src/current", "main.py");
  f.Write("app/src/debug.log", "ignored\n");
  f.Write("app/run.sh", "#!/bin/sh\nexec python3 /app/src/main.py\n", 0755);
  f.Write("app/config.ini", "[app]\nport = 8080\n");
  f.Write("app/notes.md", "read by no COPY\n");
  f.Write("app/secret/key", "ignored and unread\n");

  f.Write("multi/Dockerfile", kMulti);
  f.Write("multi/assets/a.txt", "a\n");
  f.Write("multi/assets/b.txt", "b\n");
  f.Write("multi/assets/readme.md", "not matched\n");
  f.Write("multi/data/x/y.txt", "y\n");

  f.Write("child/Dockerfile", "FROM cks/obase:latest-${TARGETARCH}\nCOPY extra/ /extra/\n");
  f.Write("child/onbuild.txt", "read by the base's ONBUILD\n");
  f.Write("child/extra/e.txt", "e\n");

  f.Write("tools/Dockerfile",
          "FROM scratch\nADD bundle.tar /opt/\nCOPY linked.conf /etc/linked.conf\n"
          "COPY bin/ /usr/local/bin/\n");
  WriteArchive(f, "tools/bundle.tar", {{"bundle/readme.txt", "v1\n"}});
  f.Write("tools/conf/real.conf", "real\n");
  f.Write("tools/conf/other.conf", "other\n");
  f.Link("tools/linked.conf", "conf/real.conf");
  f.Write("tools/bin/run", "#!run\n", 0755);
  f.Write("tools/bin/helper", "#!helper\n", 0700);
}

std::vector<Mutation> NativeCatalogue() {
  const std::string app = Target("app"), base = Target("base"), multi = Target("multi");
  const std::string child = Target("child"), tools = Target("tools"), obase = Target("obase");
  std::vector<Mutation> c;
  // The Dockerfile.
  c.push_back(Rebuilds("the default of a global ARG", {{app, "arg:MSG changed"}}, [](FleetDir& f) {
    f.Replace("app/Dockerfile", "ARG MSG=one", "ARG MSG=two");
  }));
  c.push_back(Rebuilds("COPY --chmod", {{app, "stage:build changed"}}, [](FleetDir& f) {
    f.Replace("app/Dockerfile", "--chmod=0640", "--chmod=0600");
  }));
  c.push_back(Rebuilds("COPY --chown", {{app, "stage:#1 changed"}}, [](FleetDir& f) {
    f.Replace("app/Dockerfile", "--chown=nonroot:nonroot", "--chown=0:0");
  }));
  c.push_back(Rebuilds("a heredoc's body", {{app, "stage:#1 changed"}},
                       [](FleetDir& f) { f.Replace("app/Dockerfile", "welcome, ", "hello, "); }));
  c.push_back(Rebuilds("a LABEL", {{app, "stage:#1 changed"}}, [](FleetDir& f) {
    f.Replace("app/Dockerfile", "LABEL msg=$MSG", "LABEL extra=1 msg=$MSG");
  }));
  c.push_back(Rebuilds("CMD", {{app, "stage:#1 changed"}}, [](FleetDir& f) {
    f.Replace("app/Dockerfile", "CMD [\"/app/run.sh\"]", "CMD [\"/app/run.sh\", \"--serve\"]");
  }));
  c.push_back(Rebuilds("USER", {{app, "stage:#1 changed"}}, [](FleetDir& f) {
    f.Replace("app/Dockerfile", "USER nonroot", "USER 65532");
  }));
  c.push_back(StaysCached("a comment at the end of a Dockerfile",
                          [](FleetDir& f) { f.Append("app/Dockerfile", "# the end\n"); }));
  c.push_back(StaysCached("blank lines and a comment between instructions", [](FleetDir& f) {
    f.Replace("app/Dockerfile", "ARG MSG\nARG GREETING", "ARG MSG\n\n# the greeting\nARG GREETING");
  }));
  c.push_back(Rebuilds("a stage renamed", {{multi, "stage:files added"}}, [](FleetDir& f) {
    f.Replace("multi/Dockerfile", "AS assets", "AS files");
    f.Replace("multi/Dockerfile", "--from=assets", "--from=files");
  }));
  c.push_back(Rebuilds("WORKDIR", {{multi, "stage:#1 changed"}}, [](FleetDir& f) {
    f.Replace("multi/Dockerfile", "WORKDIR /srv/work", "WORKDIR /srv/run");
  }));
  c.push_back(Rebuilds("ENV", {{multi, "stage:#1 changed"}}, [](FleetDir& f) {
    f.Replace("multi/Dockerfile", "MODE=prod", "MODE=dev");
  }));
  c.push_back(
      Rebuilds("an ONBUILD trigger of a fleet base",
               {{obase, "stage:#0 changed"}, {child, "base cks/obase:latest-amd64 is built first"}},
               [](FleetDir& f) { f.Replace("obase/Dockerfile", "child=yes", "child=no"); }));

  // Context files: content, mode, links, type, presence.
  c.push_back(Rebuilds("chmod -x of a copied file", {{app, "context:run.sh changed"}},
                       [](FleetDir& f) { f.Chmod("app/run.sh", 0644); }));
  c.push_back(Rebuilds("the setuid bit of a copied file", {{app, "context:run.sh changed"}},
                       [](FleetDir& f) { f.Chmod("app/run.sh", 04755); }));
  c.push_back(Rebuilds(
      "the content of a copied file",
      {{app, "context:src/main.py changed"}, {multi, "base cks/app:latest-amd64 is built first"}},
      [](FleetDir& f) { f.Append("app/src/main.py", "print('more')\n"); }));
  c.push_back(Rebuilds("a link inside a copied folder", {{app, "context:src/current changed"}},
                       [](FleetDir& f) { f.Link("app/src/current", "lib/util.py"); }));
  c.push_back(Rebuilds("the mode of a copied folder", {{app, "context:src/lib changed"}},
                       [](FleetDir& f) { f.Chmod("app/src/lib", 0700); }));
  c.push_back(Rebuilds("a file added to a copied folder", {{app, "context:src/extra.py added"}},
                       [](FleetDir& f) { f.Write("app/src/extra.py", "E = 1\n"); }));
  // Back to inputs built before: the image recorded for them is the one a clean build makes.
  c.push_back(StaysCached("the file added, removed again",
                          [](FleetDir& f) { f.Remove("app/src/extra.py"); }));
  c.push_back(Rebuilds("a link replaced by a file", {{app, "context:src/current changed"}},
                       [](FleetDir& f) {
                         f.Remove("app/src/current");
                         f.Write("app/src/current", "now a file\n");
                       }));
  c.push_back(Rebuilds("a file replaced by a folder", {{app, "context:src/lib/util.py changed"}},
                       [](FleetDir& f) {
                         f.Remove("app/src/lib/util.py");
                         f.Write("app/src/lib/util.py/inner.py", "I = 1\n");
                       }));
  c.push_back(Rebuilds("a file a wildcard now matches", {{multi, "context:assets/c.txt added"}},
                       [](FleetDir& f) { f.Write("multi/assets/c.txt", "c\n"); }));
  c.push_back(StaysCached("a file the wildcard does not match",
                          [](FleetDir& f) { f.Write("multi/assets/c.md", "not matched\n"); }));
  c.push_back(Rebuilds("a file removed from a copied folder",
                       {{multi, "context:assets/b.txt removed"}},
                       [](FleetDir& f) { f.Remove("multi/assets/b.txt"); }));
  c.push_back(Rebuilds("a file deep in a copied folder", {{multi, "context:data/x/y.txt changed"}},
                       [](FleetDir& f) { f.Append("multi/data/x/y.txt", "yy\n"); }));
  c.push_back(Rebuilds("a file an ONBUILD trigger of the base copies",
                       {{child, "context:onbuild.txt changed"}},
                       [](FleetDir& f) { f.Append("child/onbuild.txt", "more\n"); }));
  c.push_back(Rebuilds(
      "a file of a base with ONBUILD triggers",
      {{obase, "context:hello.txt changed"}, {child, "base cks/obase:latest-amd64 is built first"}},
      [](FleetDir& f) { f.Append("obase/hello.txt", "again\n"); }));
  c.push_back(Rebuilds("a local archive that ADD reads", {{tools, "context:bundle.tar changed"}},
                       [](FleetDir& f) {
                         WriteArchive(f, "tools/bundle.tar", {{"bundle/readme.txt", "v2\n"}});
                       }));
  c.push_back(Rebuilds("a COPY source that is a link, retargeted",
                       {{tools, "context:linked.conf changed"}},
                       [](FleetDir& f) { f.Link("tools/linked.conf", "conf/other.conf"); }));
  c.push_back(Rebuilds("the file a source link points to",
                       {{tools, "context:conf/other.conf changed"}},
                       [](FleetDir& f) { f.Append("tools/conf/other.conf", "changed\n"); }));
  c.push_back(StaysCached("the file the source link no longer points to",
                          [](FleetDir& f) { f.Append("tools/conf/real.conf", "changed\n"); }));
  c.push_back(Rebuilds("the mode of a file in a copied folder",
                       {{tools, "context:bin/helper changed"}},
                       [](FleetDir& f) { f.Chmod("tools/bin/helper", 0755); }));
  c.push_back(Rebuilds("a file of a fleet base",
                       {{base, "context:rootfs/etc/issue added"},
                        {app, "base cks/base:latest-amd64 is built first"}},
                       [](FleetDir& f) { f.Write("base/rootfs/etc/issue", "v2\n"); }));
  c.push_back(Rebuilds("a link of a fleet base", {{base, "context:rootfs/lib/tool.so changed"}},
                       [](FleetDir& f) { f.Link("base/rootfs/lib/tool.so", "../bin/other"); }));
  c.push_back(Rebuilds("the mode of a folder of a fleet base",
                       {{base, "context:rootfs/home/nonroot changed"}},
                       [](FleetDir& f) { f.Chmod("base/rootfs/home/nonroot", 0750); }));

  // What cannot reach an image.
  c.push_back(
      StaysCached("the mtime of a copied file", [](FleetDir& f) { f.Touch("app/src/main.py"); }));
  c.push_back(
      StaysCached("the mtime of a copied folder", [](FleetDir& f) { f.Touch("app/src/lib"); }));
  c.push_back(StaysCached("the atime of a copied file", [](FleetDir& f) { f.Read("app/run.sh"); }));
  c.push_back(StaysCached("the owner of a copied file",
                          [](FleetDir& f) { f.Chown("app/src/main.py", 1234, 1234); }));
  c.push_back(StaysCached("a file .dockerignore excludes",
                          [](FleetDir& f) { f.Append("app/src/debug.log", "more\n"); }));
  c.push_back(
      StaysCached("a file no COPY reads", [](FleetDir& f) { f.Append("app/notes.md", "more\n"); }));
  c.push_back(StaysCached("a new file where no COPY reads",
                          [](FleetDir& f) { f.Write("app/docs/new.md", "new\n"); }));
  c.push_back(StaysCached("a comment in .dockerignore",
                          [](FleetDir& f) { f.Append("app/.dockerignore", "# done\n"); }));

  // .dockerignore.
  c.push_back(Rebuilds(".dockerignore stops excluding a copied file",
                       {{app, "dockerignore changed"}},
                       [](FleetDir& f) { f.Replace("app/.dockerignore", "**/*.log\n", ""); }));
  c.push_back(Rebuilds(".dockerignore excludes a copied folder", {{app, "dockerignore changed"}},
                       [](FleetDir& f) { f.Append("app/.dockerignore", "src/lib/\n"); }));
  c.push_back(
      Rebuilds("a Dockerfile.dockerignore takes over", {{app, "dockerignore changed"}},
               [](FleetDir& f) { f.Write("app/Dockerfile.dockerignore", "secret/\nsrc/lib/\n"); }));
  c.push_back(Rebuilds("a .dockerignore appears", {{multi, "dockerignore changed"}},
                       [](FleetDir& f) { f.Write("multi/.dockerignore", "assets/a.txt\n"); }));

  // plinth.yaml.
  c.push_back(Rebuilds("a build arg", {{app, "build-arg:GREETING changed"}}, [](FleetDir& f) {
    f.Replace("plinth.yaml", "GREETING: hello", "GREETING: hi");
  }));
  c.push_back(Rebuilds("a build arg over a global ARG's default", {{app, "arg:MSG changed"}},
                       [](FleetDir& f) {
                         f.Replace("plinth.yaml", "{GREETING: hi}", "{GREETING: hi, MSG: three}");
                       }));
  c.push_back(SameImages("a target's tag", [](FleetDir& f) {
    f.Replace("plinth.yaml", "    dockerfile: tools/Dockerfile\n",
              "    dockerfile: tools/Dockerfile\n    image: \"{namespace}/toolbox:{arch}\"\n");
  }));
  c.push_back(StaysCached("a Dockerfile moved, its text the same", [](FleetDir& f) {
    f.Write("tools/build/Dockerfile", *ReadFile(f / "tools/Dockerfile"));
    f.Replace("plinth.yaml", "dockerfile: tools/Dockerfile", "dockerfile: tools/build/Dockerfile");
  }));
  c.push_back(Rebuilds("a context moved to a folder with other files",
                       {{child, "context:extra/e.txt changed"}}, [](FleetDir& f) {
                         fs::copy(f / "child", f / "child2", fs::copy_options::recursive);
                         f.Append("child2/extra/e.txt", "different\n");
                         f.Replace("plinth.yaml", "context: child\n", "context: child2\n");
                       }));
  c.push_back(Rebuilds("SOURCE_DATE_EPOCH", {{base, "epoch changed"}, {tools, "epoch changed"}},
                       [](FleetDir& f) { f.env["SOURCE_DATE_EPOCH"] = "1700000000"; }));
  c.push_back(Rebuilds("a platform added",
                       {{"base@linux/arm64", "never built"},
                        {"app@linux/arm64", "base cks/base:latest-arm64 is built first"}},
                       [](FleetDir& f) {
                         f.Replace("plinth.yaml", "[linux/amd64]", "[linux/amd64, linux/arm64]");
                       }));
  c.push_back(Rebuilds("a file of a fleet base, on two platforms",
                       {{base, "context:rootfs/etc/issue changed"},
                        {"base@linux/arm64", "context:rootfs/etc/issue changed"}},
                       [](FleetDir& f) { f.Append("base/rootfs/etc/issue", "v3\n"); }));
  c.push_back(StaysCached("a platform removed", [](FleetDir& f) {
    f.Replace("plinth.yaml", "[linux/amd64, linux/arm64]", "[linux/amd64]");
  }));
  return c;
}

void WriteRunFleet(const FleetDir& f, const std::string& scratch) {
  f.Write("plinth.yaml", std::string(kManifestTop) + kRunManifest);
  f.Write("base/Dockerfile", "FROM scratch\nCOPY etc/ /etc/\nLABEL org.example.role=base\n");
  f.Write("base/etc/os-release", "ID=cks\nVERSION=1\n");
  WriteTestFile(scratch + "/mk.c", kMake);
  fs::create_directories(f / "svc");
  auto cc = Run({"gcc", "-static", "-O2", "-o", f / "svc/mk", scratch + "/mk.c"});
  ASSERT_EQ(cc.exit_code, 0) << cc.err;
  f.Write("svc/input.txt", "input\n");
  f.Write("svc/Dockerfile",
          "FROM scratch AS builder\nCOPY mk /mk\nCOPY input.txt /input.txt\nARG LEVEL\n"
          "RUN [\"/mk\", \"/input.txt\"]\n\n"
          "FROM cks/base:latest-${TARGETARCH}\nCOPY --from=builder /out/ /app/\n");
}

std::vector<Mutation> RunCatalogue() {
  const std::string svc = Target("svc"), base = Target("base");
  std::vector<Mutation> c;
  c.push_back(Rebuilds("chmod of a file a RUN stage reads", {{svc, "context:input.txt changed"}},
                       [](FleetDir& f) { f.Chmod("svc/input.txt", 0600); }));
  c.push_back(
      Rebuilds("a build arg a RUN stage reads", {{svc, "build-arg:LEVEL changed"}},
               [](FleetDir& f) { f.Replace("plinth.yaml", "LEVEL: \"1\"", "LEVEL: \"2\""); }));
  c.push_back(StaysCached("the mtime of a file a RUN stage reads",
                          [](FleetDir& f) { f.Touch("svc/input.txt"); }));
  // The only change is the final stage's base: the service is rebased, not run again.
  c.push_back(Rebuilds("the base under a RUN stage's output",
                       {{base, "context:etc/os-release changed"},
                        {svc, "base cks/base:latest-amd64 is built first"}},
                       [](FleetDir& f) { f.Write("base/etc/os-release", "ID=cks\nVERSION=2\n"); }));
  return c;
}

Mutation RandomMutation(std::mt19937& random) {
  // Files a COPY reads, by fleet-relative path, and the target that reads them.
  static const std::vector<std::string> kRead = {
      "app/src/main.py",    "app/run.sh",        "app/config.ini", "multi/assets/a.txt",
      "multi/data/x/y.txt", "child/extra/e.txt", "tools/bin/run",  "base/rootfs/etc/group",
      "obase/hello.txt",    "child/onbuild.txt"};
  static const std::vector<std::string> kFolders = {"app/src", "multi/data/x", "tools/bin",
                                                    "base/rootfs/etc", "child/extra"};
  static const std::vector<int> kModes = {0644, 0755, 0600, 0700, 0640, 04755, 02755, 0444};
  auto pick = [&](const auto& v) { return v[random() % v.size()]; };
  std::string file = pick(kRead);
  std::string folder = pick(kFolders);
  std::string token = std::to_string(random() % 100000);
  switch (random() % 10) {
    case 0:
      return SameImages("edit " + file, [=](FleetDir& f) { f.Append(file, token + "\n"); });
    case 1: {
      int mode = pick(kModes);
      return SameImages("chmod " + file, [=](FleetDir& f) { f.Chmod(file, mode); });
    }
    case 2:
      return SameImages("add a file to " + folder, [=](FleetDir& f) {
        f.Write(folder + "/r" + token + ".txt", token + "\n");
      });
    case 3:
      return SameImages("add a link to " + folder, [=](FleetDir& f) {
        f.Link(folder + "/l" + token, token[0] % 2 ? "../" + token : "/etc/" + token);
      });
    case 4: {
      int mode = pick(kModes) | 0700;  // still listable
      return SameImages("chmod " + folder, [=](FleetDir& f) { f.Chmod(folder, mode); });
    }
    case 5:
      return SameImages("global ARG default", [=](FleetDir& f) {
        auto text = ReadFile(f / "app/Dockerfile");
        size_t at = text->find("ARG MSG=");
        size_t end = text->find('\n', at);
        f.Replace("app/Dockerfile", text->substr(at, end - at), "ARG MSG=m" + token);
      });
    case 6:
      return SameImages("build arg", [=](FleetDir& f) {
        auto text = ReadFile(f / "plinth.yaml");
        size_t at = text->find("GREETING: ");
        size_t end = text->find_first_of(",}", at);
        f.Replace("plinth.yaml", text->substr(at, end - at), "GREETING: g" + token);
      });
    case 7:
      return StaysCached("touch " + file, [=](FleetDir& f) { f.Touch(file); });
    case 8:
      return StaysCached("edit an ignored file",
                         [=](FleetDir& f) { f.Append("app/src/debug.log", token + "\n"); });
    default:
      return StaysCached("comment in a Dockerfile",
                         [=](FleetDir& f) { f.Append("multi/Dockerfile", "# " + token + "\n"); });
  }
}

}  // namespace plinth::testing
