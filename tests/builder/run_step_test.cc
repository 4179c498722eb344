// RunStep's pure rules: what a RUN's process gets (argv in every form, heredocs, env, cwd, user,
// network), its mounts as expanded and defaulted, BuildKit's history text, and --secret flags.
#include "builder/run_step.h"

#include <gtest/gtest.h>

#include "dockerfile/parser.h"

namespace plinth::builder {
namespace {

using dockerfile::MountType;

dockerfile::Instruction Ins(const std::string& line) {
  auto ast = dockerfile::Parse(line, "Dockerfile");
  EXPECT_TRUE(ast) << ast.error().ToString();
  auto ins = dockerfile::ParseInstruction(ast->instructions.at(0), "Dockerfile");
  EXPECT_TRUE(ins) << ins.error().ToString();
  return *ins;
}

struct Fixture {
  oci::RuntimeConfig config;
  std::vector<ArgInScope> args;
  dockerfile::VarMap vars;
  std::optional<std::string> passwd, group;

  Result<StepProcess> Resolve(const std::string& line) {
    dockerfile::Instruction ins = Ins(line);
    return ResolveRunProcess({.ins = &ins,
                              .config = &config,
                              .args = args,
                              .vars = &vars,
                              .passwd = passwd,
                              .group = group});
  }
};

TEST(RunStepTest, ShellFormUsesShShellOrTheImageShell) {
  Fixture f;
  auto p = f.Resolve("RUN echo hi && ls");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->argv, (std::vector<std::string>{"/bin/sh", "-c", "echo hi && ls"}));
  EXPECT_EQ(p->created_by, "RUN /bin/sh -c echo hi && ls # buildkit");
  f.config.shell = {"/bin/bash", "-eo", "pipefail", "-c"};
  p = f.Resolve("RUN echo hi");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->argv, (std::vector<std::string>{"/bin/bash", "-eo", "pipefail", "-c", "echo hi"}));
}

TEST(RunStepTest, ExecFormIsTakenAsItIs) {
  Fixture f;
  f.config.shell = {"/bin/bash", "-c"};
  auto p = f.Resolve(R"(RUN ["/usr/bin/env", "A=$B", "x y"])");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->argv, (std::vector<std::string>{"/usr/bin/env", "A=$B", "x y"}));
  EXPECT_EQ(p->created_by, "RUN /usr/bin/env A=$B x y # buildkit");
}

TEST(RunStepTest, HeredocBodyRunsInTheShell) {
  Fixture f;
  auto p = f.Resolve("RUN <<EOF\necho one\necho two\nEOF\n");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->argv, (std::vector<std::string>{"/bin/sh", "-c", "echo one\necho two\n"}));
  EXPECT_TRUE(p->pipes.empty());
}

TEST(RunStepTest, HeredocWithShebangRunsAsAFileInDevPipes) {
  Fixture f;
  auto p = f.Resolve("RUN <<EOT\n#!/usr/bin/python3\nprint(1)\nEOT\n");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->argv, (std::vector<std::string>{"/bin/sh", "-c", "/dev/pipes/EOT"}));
  ASSERT_EQ(p->pipes.size(), 1u);
  EXPECT_EQ(p->pipes[0], (PipeFile{"EOT", "#!/usr/bin/python3\nprint(1)\n"}));
}

TEST(RunStepTest, HeredocAmongWordsGoesToTheShellWhole) {
  Fixture f;
  auto p = f.Resolve("RUN cat > /x <<EOF\nhello\nEOF\n");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->argv, (std::vector<std::string>{"/bin/sh", "-c", "cat > /x <<EOF\nhello\nEOF"}));
}

TEST(RunStepTest, ChompedHeredocLosesLeadingTabs) {
  Fixture f;
  auto p = f.Resolve("RUN <<-EOF\n\techo a\n\t\techo b\nEOF\n");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->argv.back(), "echo a\necho b\n");
}

TEST(RunStepTest, EnvIsImageEnvThenArgsEnvDoesNotSetThenDefaultPath) {
  Fixture f;
  f.config.env = {"B=image", "A=1"};
  f.args = {{"B", "arg"}, {"C", "3"}, {"UNSET", std::nullopt}};
  auto p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->env, (std::vector<std::string>{"B=image", "A=1", "C=3",
                                              std::string("PATH=") + kDefaultPath}));
  // BuildKit's history: every ARG in scope with the value the step sees (ENV wins).
  EXPECT_EQ(p->created_by, "RUN |3 B=image C=3 UNSET= /bin/sh -c true # buildkit");
  f.config.env.push_back("PATH=/opt/bin");
  p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->env.back(), "C=3");
}

TEST(RunStepTest, CwdIsWorkdir) {
  Fixture f;
  auto p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->cwd, "/");
  f.config.working_dir = "/app/";
  p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->cwd, "/app");
}

TEST(RunStepTest, UserIsResolvedThroughPasswdAndGroup) {
  Fixture f;
  f.passwd = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n";
  f.group = "root:x:0:\nwheel:x:10:app,other\napp:x:1001:\naudio:x:29:app\n";
  auto p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user, (ExecUser{0, 0, {}}));
  f.config.user = "app";
  p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user, (ExecUser{1000, 1001, {10, 29}}));
  f.config.user = "1000";  // a number that passwd knows: its gid and groups too
  p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user, (ExecUser{1000, 1001, {10, 29}}));
  f.config.user = "app:wheel";  // a named group: that gid, no supplementary groups
  p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user, (ExecUser{1000, 10, {}}));
  f.config.user = "4242";  // unknown number: gid 0, as docker
  p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user, (ExecUser{4242, 0, {}}));
  f.config.user = "5:6";
  p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user, (ExecUser{5, 6, {}}));
  f.config.user = "nobody";
  p = f.Resolve("RUN true");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("nobody"), std::string::npos);
  f.config.user = "app:nogroup";
  p = f.Resolve("RUN true");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("nogroup"), std::string::npos);
}

TEST(RunStepTest, NetworkDefaultAndHostAreTheHostsNoneIsolates) {
  Fixture f;
  auto p = f.Resolve("RUN true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->network, run::RunNetwork::kHost);
  p = f.Resolve("RUN --network=none true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->network, run::RunNetwork::kNone);
  p = f.Resolve("RUN --network=host true");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->network, run::RunNetwork::kHost);
}

TEST(RunStepTest, MountsAreExpandedAndDefaulted) {
  Fixture f;
  f.vars.Set("CACHE", "/var/cache/apt");
  f.config.working_dir = "/src";
  auto p = f.Resolve(
      "RUN --mount=type=cache,target=$CACHE,sharing=locked,uid=1,gid=2,mode=0700 "
      "--mount=type=bind,source=app,target=rel "
      "--mount=type=bind,from=builder,source=/out,target=/in,rw "
      "--mount=type=tmpfs,target=/tmp,size=64m "
      "--mount=type=secret,id=token,required=true true");
  ASSERT_TRUE(p) << p.error().ToString();
  ASSERT_EQ(p->mounts.size(), 5u);
  const auto& cache = p->mounts[0];
  EXPECT_EQ(cache.type, MountType::kCache);
  EXPECT_EQ(cache.target, "/var/cache/apt");
  EXPECT_EQ(cache.id, "/var/cache/apt");
  EXPECT_EQ(cache.sharing, "locked");
  EXPECT_EQ(cache.uid, 1u);
  EXPECT_EQ(cache.gid, 2u);
  EXPECT_EQ(cache.mode, 0700u);
  EXPECT_TRUE(cache.writable);
  EXPECT_EQ(p->mounts[1].target, "/src/rel");
  EXPECT_EQ(p->mounts[1].source, "/app");
  EXPECT_FALSE(p->mounts[1].writable);  // a bind is read-only unless rw
  EXPECT_EQ(p->mounts[2].from, "builder");
  EXPECT_TRUE(p->mounts[2].writable);
  EXPECT_EQ(p->mounts[3].size, 64u << 20);
  EXPECT_EQ(p->mounts[4].target, "/run/secrets/token");
  EXPECT_TRUE(p->mounts[4].required);
  EXPECT_FALSE(p->mounts[4].writable);
}

TEST(RunStepTest, SshMountsAreRefusedAsNotSupportedYet) {
  Fixture f;
  auto p = f.Resolve("RUN --mount=type=ssh true");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("ssh is not supported yet"), std::string::npos);
}

TEST(RunStepTest, AMountTargetTwiceIsRefused) {
  Fixture f;
  auto p = f.Resolve("RUN --mount=type=tmpfs,target=/a --mount=type=cache,target=/a/ true");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("/a"), std::string::npos);
}

TEST(RunStepTest, SecretFlags) {
  auto s = ParseSecretFlag("id=npm,src=/home/me/.npmrc");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->id, "npm");
  EXPECT_EQ(s->src, "/home/me/.npmrc");
  s = ParseSecretFlag("id=TOKEN,env=GH_TOKEN");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->env, "GH_TOKEN");
  s = ParseSecretFlag("id=TOKEN");  // docker: the variable named by the id
  ASSERT_TRUE(s);
  EXPECT_EQ(s->env, "TOKEN");
  EXPECT_FALSE(ParseSecretFlag("id=a,src=x,env=y"));
  EXPECT_FALSE(ParseSecretFlag("id=a,bogus=1"));
  EXPECT_FALSE(ParseSecretFlag("src"));
  EXPECT_FALSE(ParseSecretFlag("id=a,type=file"));
}

}  // namespace
}  // namespace plinth::builder

namespace plinth::builder {
namespace {

// --chown and WORKDIR owners, from the files' contents (the unpacked-tree form reads the same).
TEST(UserLookupTest, OwnersFromFileContents) {
  std::string passwd = "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n";
  std::string group = "root:x:0:\nstaff:x:50:app\n";
  auto o = ResolveOwnerText("app", passwd, group);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->uid, 1000u);
  EXPECT_EQ(o->gid, 1001u);
  o = ResolveOwnerText("app:staff", passwd, group);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->gid, 50u);
  o = ResolveOwnerText("7", std::nullopt, std::nullopt);  // a lone number is uid and gid
  ASSERT_TRUE(o);
  EXPECT_EQ(o->gid, 7u);
  EXPECT_FALSE(ResolveOwnerText("app", std::nullopt, std::nullopt));
  EXPECT_FALSE(ResolveOwnerText("app:wheel", passwd, group));
}

}  // namespace
}  // namespace plinth::builder
