// StageGraph: expansion of bases with global ARGs, build args and platform ARGs; edges from
// FROM, COPY --from and RUN --mount from=; target and runtime stages.
#include "dockerfile/stage_graph.h"

#include <gtest/gtest.h>

#include "dockerfile/parser.h"

namespace plinth::dockerfile {
namespace {

Result<StageGraph> Graph(const std::string& text, StageGraphOptions options = {}) {
  if (!options.build_platform) options.build_platform = *BuildPlatform::Parse("linux/amd64");
  auto ast = Parse(text, "Dockerfile");
  if (!ast) return ast.error();
  return BuildStageGraph(*ast, options);
}

TEST(StageGraphTest, GlobalArgsExpandBases) {
  auto g = Graph(
      "ARG GO=1.22\nARG BASE=golang:${GO}-bookworm\nFROM ${BASE} AS build\nRUN go build\n"
      "FROM gcr.io/distroless/static-debian12:${TAG:-nonroot}\nCOPY --from=build /out /app\n");
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  ASSERT_EQ(g->stages().size(), 2u);
  EXPECT_EQ(g->stage(0).base, "golang:1.22-bookworm");
  EXPECT_EQ(g->stage(0).base_written, "${BASE}");
  EXPECT_EQ(g->stage(1).base, "gcr.io/distroless/static-debian12:nonroot");
  EXPECT_TRUE(g->stage(0).runs);
  EXPECT_FALSE(g->stage(1).runs);
  EXPECT_EQ(g->target(), 1);
  EXPECT_EQ(g->runtime(), 1);
  ASSERT_EQ(g->stage(1).edges.size(), 2u);
  EXPECT_EQ(g->stage(1).edges[1].kind, EdgeKind::kCopyFrom);
  EXPECT_EQ(g->stage(1).edges[1].ref.kind, RefKind::kStage);
  EXPECT_EQ(g->stage(1).edges[1].ref.stage, 0);
  EXPECT_EQ(g->Dependencies(1), std::vector<int>{0});
}

TEST(StageGraphTest, BuildArgsOverrideDefaults) {
  StageGraphOptions o;
  o.build_args = {{"GO", "1.23"}};
  auto g = Graph("ARG GO=1.22\nFROM golang:$GO\n", o);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->stage(0).base, "golang:1.23");
}

TEST(StageGraphTest, PlatformArgs) {
  StageGraphOptions o;
  o.target_platform = *BuildPlatform::Parse("linux/arm64");
  auto g = Graph(
      "FROM --platform=$BUILDPLATFORM golang AS build\nARG TARGETOS TARGETARCH\n"
      "ENV GOOS=$TARGETOS GOARCH=${TARGETARCH}\nRUN go build\n"
      "FROM --platform=$TARGETPLATFORM debian:$TARGETARCH\n",
      o);
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  EXPECT_EQ(g->stage(0).platform, "linux/amd64");
  EXPECT_EQ(g->stage(0).platform_written, "$BUILDPLATFORM");
  EXPECT_EQ(*g->stage(0).env.Lookup("GOARCH"), "arm64");
  EXPECT_EQ(*g->stage(0).env.Lookup("GOOS"), "linux");
  EXPECT_EQ(g->stage(1).platform, "linux/arm64");
  EXPECT_EQ(g->stage(1).base, "debian:arm64");
}

TEST(StageGraphTest, GlobalArgsInvisibleInStageUnlessRedeclared) {
  auto g = Graph("ARG V=1\nFROM a\nENV X=$V\nARG V\nENV Y=$V\n");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(*g->stage(0).env.Lookup("X"), "");
  EXPECT_EQ(*g->stage(0).env.Lookup("Y"), "1");
}

TEST(StageGraphTest, StagesByNameIndexAndMounts) {
  auto g = Graph(
      "FROM alpine AS base\nFROM base AS deps\nRUN --mount=type=cache,target=/c "
      "--mount=type=bind,from=base,target=/b x\n"
      "FROM scratch\nCOPY --from=0 /a /a\nCOPY --from=deps /b /b\nCOPY --from=nginx:1 /c /c\n");
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  EXPECT_EQ(g->stage(1).base_ref.kind, RefKind::kStage);
  EXPECT_EQ(g->stage(1).base_ref.stage, 0);
  EXPECT_EQ(g->stage(2).base_ref.kind, RefKind::kScratch);
  ASSERT_EQ(g->stage(1).edges.size(), 2u);
  EXPECT_EQ(g->stage(1).edges[1].kind, EdgeKind::kMountFrom);
  EXPECT_EQ(g->stage(1).edges[1].ref.stage, 0);
  EXPECT_EQ(g->stage(2).edges[3].ref.kind, RefKind::kImage);
  EXPECT_EQ(g->stage(2).edges[3].ref.image, "nginx:1");
  EXPECT_EQ(g->Closure(2), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(g->ExternalImages(2), (std::vector<std::string>{"alpine", "nginx:1"}));
  EXPECT_EQ(g->Find("DEPS"), 1);
  EXPECT_EQ(g->Find("2"), 2);
  EXPECT_EQ(g->Find("nope"), -1);
}

TEST(StageGraphTest, Target) {
  StageGraphOptions o;
  o.target = "build";
  auto g = Graph("FROM a AS build\nFROM b AS test\nFROM c\n", o);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->target(), 0);
  EXPECT_EQ(g->runtime(), 2);
  o.target = "missing";
  auto bad = Graph("FROM a AS build\n", o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("target stage \"missing\" could not be found"),
            std::string::npos);
}

TEST(StageGraphTest, ABareFromNameOneEditAwayFromAStageIsThatStageMisspelt) {
  auto typo = Graph("FROM golang AS builder\nRUN go build\nFROM scratch\n"
                    "COPY --from=buidler /out /app\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().location().line, 4);
  EXPECT_NE(typo.error().message().find("did you mean 'builder'"), std::string::npos)
      << typo.error().ToString();
  // A mount's from= is checked the same way.
  EXPECT_FALSE(Graph("FROM golang AS deps\nFROM golang\nRUN --mount=type=bind,from=dep,target=/d true\n").ok());
  // An image written with a registry, a tag or a path, or farther from every stage, stays an
  // image.
  for (const char* from : {"docker.io/library/buidler", "buidler:1", "library/buidler", "alpine"}) {
    auto image = Graph(std::string("FROM golang AS builder\nFROM scratch\nCOPY --from=") + from +
                       " /out /app\n");
    ASSERT_TRUE(image.ok()) << from << ": " << image.error().ToString();
    EXPECT_EQ(image->stage(1).edges.back().ref.kind, RefKind::kImage) << from;
  }
}

TEST(StageGraphTest, Errors) {
  EXPECT_NE(Graph("FROM a AS x\nFROM b AS x\n").error().message().find("duplicate stage name"),
            std::string::npos);
  EXPECT_NE(Graph("FROM a AS x\nCOPY --from=x a b\n").error().message().find("circular"),
            std::string::npos);
  EXPECT_NE(Graph("FROM a AS x\nCOPY --from=y a b\nFROM b AS y\nCOPY --from=x a b\n")
                .error()
                .message()
                .find("circular"),
            std::string::npos);
  EXPECT_NE(Graph("FROM a\nCOPY --from=5 a b\n").error().message().find("invalid stage index"),
            std::string::npos);
  auto blank = Graph("ARG B\nFROM $B\n");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().ToString(), "Dockerfile:2:1: base name ($B) should not be blank");
  EXPECT_FALSE(Graph("FROM --platform=linux a\n").ok());
  EXPECT_EQ(Graph("FROM a\nARG P=http\nEXPOSE $P\n").error().ToString(),
            "Dockerfile:3:1: invalid containerPort: http");
  EXPECT_TRUE(Graph("FROM a\nARG P=8080\nEXPOSE $P/udp\n").ok());
}

TEST(StageGraphTest, CopyFromExpandsInStageScope) {
  auto g = Graph("FROM a AS builder\nFROM b\nARG SRC=builder\nCOPY --from=$SRC /x /x\n");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->stage(1).edges[1].ref.kind, RefKind::kStage);
  EXPECT_EQ(g->stage(1).edges[1].written, "$SRC");
}

TEST(StageGraphTest, BuildPlatformParse) {
  EXPECT_EQ(BuildPlatform::Parse("linux/arm64/v8")->ToString(), "linux/arm64");
  EXPECT_EQ(BuildPlatform::Parse("Linux/ARM/v7")->ToString(), "linux/arm/v7");
  EXPECT_FALSE(BuildPlatform::Parse("linux").ok());
  EXPECT_FALSE(BuildPlatform::Parse("linux//x").ok());
}

}  // namespace
}  // namespace plinth::dockerfile
