// The typed instruction layer: flags, argument shapes and BuildKit's dispatch-time errors.
#include "dockerfile/instructions.h"

#include <gtest/gtest.h>

#include "dockerfile/parser.h"

namespace plinth::dockerfile {
namespace {

Result<std::vector<Instruction>> Typed(const std::string& text) {
  auto ast = Parse(text, "Dockerfile");
  if (!ast) return ast.error();
  return ParseInstructions(*ast);
}

std::string ErrorOf(const std::string& text) {
  auto r = Typed(text);
  return r.ok() ? "ok" : r.error().ToString();
}

TEST(InstructionsTest, FromWithPlatformAndName) {
  auto r = Typed("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\n");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)[0].from.image, "golang:1.22");
  EXPECT_EQ((*r)[0].from.name, "build");
  EXPECT_EQ((*r)[0].from.platform, "$BUILDPLATFORM");
}

TEST(InstructionsTest, FromErrors) {
  EXPECT_EQ(ErrorOf("FROM a b\n"), "Dockerfile:1:1: FROM requires either one or three arguments");
  EXPECT_EQ(ErrorOf("FROM a TO b\n"),
            "Dockerfile:1:1: when using FROM with three arguments, second argument must be \"AS\"");
  EXPECT_NE(ErrorOf("FROM a AS 1st\n").find("invalid name for build stage"), std::string::npos);
  EXPECT_EQ(ErrorOf("FROM --plat=x a\n"), "Dockerfile:1:6: unknown flag: plat");
}

TEST(InstructionsTest, OnlyArgBeforeFrom) {
  EXPECT_EQ(ErrorOf("ARG A=1\nFROM a\n"), "ok");
  EXPECT_NE(ErrorOf("ARG A\nRUN x\nFROM a\n").find("Dockerfile:2:1: RUN before the first FROM"),
            std::string::npos);
  EXPECT_NE(ErrorOf("ARG A\n").find("no stages"), std::string::npos);
}

TEST(InstructionsTest, UnknownInstructionSuggests) {
  EXPECT_EQ(ErrorOf("FROM a\n  COPPY a b\n"),
            "Dockerfile:2:3: unknown instruction: COPPY (did you mean copy?)");
}

TEST(InstructionsTest, RunMountsNetworkSecurity) {
  auto r = Typed(
      "FROM a\nRUN --mount=type=cache,target=/root/.cache,sharing=locked "
      "--mount=type=secret,id=npm,required --mount=type=bind,from=build,source=/out,target=/in "
      "--mount=type=ssh --mount=type=tmpfs,target=/tmp,size=64m --network=none "
      "--security=insecure make\n");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const auto& run = (*r)[1].run;
  ASSERT_EQ(run.mounts.size(), 5u);
  EXPECT_EQ(run.mounts[0].type, MountType::kCache);
  EXPECT_EQ(run.mounts[0].sharing, "locked");
  EXPECT_EQ(run.mounts[1].type, MountType::kSecret);
  EXPECT_TRUE(run.mounts[1].required);
  EXPECT_EQ(run.mounts[2].from, "build");
  EXPECT_EQ(run.mounts[3].type, MountType::kSsh);
  EXPECT_EQ(run.mounts[4].size, "64m");
  EXPECT_EQ(run.network, "none");
  EXPECT_EQ(run.security, "insecure");
  EXPECT_EQ((*r)[1].command.args[0], "make");
  EXPECT_EQ((*r)[1].command.form, CommandForm::kShell);
}

TEST(InstructionsTest, RunFlagErrors) {
  EXPECT_NE(ErrorOf("FROM a\nRUN --mount=type=nfs,target=/x a\n").find("unsupported mount type"),
            std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nRUN --mount=type=cache a\n").find("requires a target"),
            std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nRUN --network=bridge a\n").find("unsupported network mode"),
            std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nRUN --mount a\n").find("missing a value on flag: mount"),
            std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nRUN --mount=type=bind,target=/x,foo=1 a\n").find("unexpected key"),
            std::string::npos);
}

TEST(InstructionsTest, CopyAndAddFlags) {
  auto r = Typed(
      "FROM a\nCOPY --from=build --chown=65532:65532 --chmod=0755 --link --parents "
      "--exclude=*.md --exclude=.git ./a ./b /app/\n"
      "ADD --keep-git-dir=true --checksum=sha256:abc --link=false https://x/y.tar /y\n"
      "COPY <<EOF /etc/x\nhello\nEOF\n");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const auto& c = (*r)[1].copy;
  EXPECT_EQ(c.from, "build");
  EXPECT_EQ(c.chown, "65532:65532");
  EXPECT_EQ(c.chmod, "0755");
  EXPECT_TRUE(c.link);
  EXPECT_TRUE(c.parents);
  EXPECT_EQ(c.exclude, (std::vector<std::string>{"*.md", ".git"}));
  EXPECT_EQ(c.sources, (std::vector<std::string>{"./a", "./b"}));
  EXPECT_EQ(c.dest, "/app/");
  const auto& a = (*r)[2].copy;
  EXPECT_TRUE(a.keep_git_dir);
  EXPECT_FALSE(a.link);
  EXPECT_EQ(a.checksum, "sha256:abc");
  EXPECT_EQ((*r)[3].heredocs.size(), 1u);
  EXPECT_EQ((*r)[3].copy.sources[0], "<<EOF");
}

TEST(InstructionsTest, CopyErrors) {
  EXPECT_NE(ErrorOf("FROM a\nCOPY x\n").find("COPY requires at least two arguments"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("FROM a\nCOPY --link=maybe a b\n"),
            "Dockerfile:2:6: expecting boolean value for flag link, not: maybe");
  EXPECT_EQ(ErrorOf("FROM a\nCOPY --from=a --from=b a b\n"),
            "Dockerfile:2:15: duplicate flag specified: from");
  EXPECT_NE(ErrorOf("FROM a\nADD --parents a b\n").find("unknown flag: parents"),
            std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nCOPY --keep-git-dir a b\n").find("unknown flag"), std::string::npos);
}

TEST(InstructionsTest, EnvLabelArgPairs) {
  auto r = Typed(
      "ARG A B=2 C=\"x y\"\nFROM a\nENV K V W\nENV X=1 Y=\"two words\"\nLABEL a=b c.d=\"e\"\n");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const auto& arg = (*r)[0].pairs;
  ASSERT_EQ(arg.size(), 3u);
  EXPECT_FALSE(arg[0].has_value);
  EXPECT_EQ(arg[1].value, "2");
  EXPECT_EQ(arg[2].value, "\"x y\"");
  EXPECT_EQ((*r)[2].pairs[0].key, "K");
  EXPECT_EQ((*r)[2].pairs[0].value, "V W");
  EXPECT_EQ((*r)[3].pairs.size(), 2u);
  EXPECT_EQ((*r)[4].pairs[1].key, "c.d");
  EXPECT_NE(ErrorOf("FROM a\nENV =x\n").find("ENV names can not be blank"), std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nARG =x\n").find("ARG names can not be blank"), std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nARG\n").find("ARG requires at least one argument"),
            std::string::npos);
}

TEST(InstructionsTest, SimpleInstructions) {
  auto r = Typed(
      "FROM a\nEXPOSE 80 443/tcp 53/udp 8000-8010\nUSER 65532:65532\nWORKDIR /app\n"
      "VOLUME [\"/data\", \"/logs\"]\nVOLUME /a /b\nSTOPSIGNAL SIGTERM\nMAINTAINER me\n"
      "SHELL [\"/bin/bash\", \"-c\"]\nCMD [\"serve\"]\nENTRYPOINT /bin/app\n");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)[1].args.size(), 4u);
  EXPECT_EQ((*r)[2].args[0], "65532:65532");
  EXPECT_EQ((*r)[4].args.size(), 2u);
  EXPECT_EQ((*r)[5].args.size(), 2u);
  EXPECT_EQ((*r)[8].command.form, CommandForm::kExec);
  EXPECT_EQ((*r)[10].command.form, CommandForm::kShell);
  EXPECT_NE(ErrorOf("FROM a\nSHELL /bin/sh\n").find("JSON form"), std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nUSER\n").find("USER requires exactly one argument"),
            std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nEXPOSE\n").find("EXPOSE requires at least one"), std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nWORKDIR --x=1 /a\n").find("unknown flag: x"), std::string::npos);
}

TEST(InstructionsTest, Healthcheck) {
  auto r = Typed(
      "FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --interval=30s --timeout=3s --start-period=1m "
      "--start-interval=500ms --retries=3 CMD [\"/healthz\"]\n");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)[1].health.type, HealthcheckType::kNone);
  const auto& h = (*r)[2].health;
  EXPECT_EQ(h.interval, 30'000'000'000);
  EXPECT_EQ(h.start_period, 60'000'000'000);
  EXPECT_EQ(h.start_interval, 500'000'000);
  EXPECT_EQ(h.retries, 3);
  EXPECT_EQ(h.test.form, CommandForm::kExec);
  EXPECT_NE(ErrorOf("FROM a\nHEALTHCHECK NONE x\n").find("takes no arguments"), std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nHEALTHCHECK CMD\n").find("Missing command"), std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nHEALTHCHECK PING x\n").find("Unknown type"), std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nHEALTHCHECK --interval=1us CMD x\n").find("less than 1ms"),
            std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nHEALTHCHECK --retries=-1 CMD x\n").find("negative"),
            std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nHEALTHCHECK --interval=5 CMD x\n").find("missing unit"),
            std::string::npos);
}

TEST(InstructionsTest, Onbuild) {
  auto r = Typed("FROM a\nONBUILD RUN make\nONBUILD COPY --from=x a b\n");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ((*r)[1].trigger.size(), 1u);
  EXPECT_EQ((*r)[1].trigger[0].kind, InstructionKind::kRun);
  EXPECT_EQ((*r)[2].trigger[0].copy.from, "x");
  EXPECT_NE(ErrorOf("FROM a\nONBUILD ONBUILD RUN x\n").find("Chaining ONBUILD"), std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nONBUILD FROM b\n").find("isn't allowed as an ONBUILD trigger"),
            std::string::npos);
  EXPECT_NE(ErrorOf("FROM a\nONBUILD\n").find("ONBUILD requires"), std::string::npos);
}

TEST(InstructionsTest, ExposePorts) {
  auto range = ParsePortSpec("8000-8010/UDP");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->first, 8000);
  EXPECT_EQ(range->last, 8010);
  EXPECT_EQ(range->protocol, "udp");
  EXPECT_EQ(ParsePortSpec("80")->protocol, "tcp");
  EXPECT_FALSE(ParsePortSpec("http").ok());
  EXPECT_FALSE(ParsePortSpec("80/icmp").ok());
  EXPECT_FALSE(ParsePortSpec("90-80").ok());
  EXPECT_FALSE(ParsePortSpec("70000").ok());
  EXPECT_EQ(ErrorOf("FROM a\nEXPOSE 80 $PORT 443/tcp\n"), "ok");
  EXPECT_EQ(ErrorOf("FROM a\nEXPOSE 80/icmp\n"), "Dockerfile:2:1: invalid proto: icmp");
}

TEST(InstructionsTest, Durations) {
  EXPECT_EQ(*ParseDuration("1h2m3.5s"), 3723'500'000'000);
  EXPECT_EQ(*ParseDuration("0"), 0);
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_FALSE(ParseDuration("5x").ok());
}

}  // namespace
}  // namespace plinth::dockerfile
