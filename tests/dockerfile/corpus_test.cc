// plinth's own corpus (tests/dockerfile/corpus): real multi-stage Dockerfiles in the styles
// people write (distroless runtimes, --platform=$BUILDPLATFORM builders, heredocs,
// `# escape=\``, cache/secret/ssh mounts, lower-case keywords, index references), each parsed
// and its stage graph compared with the reviewed `.stages.txt` next to it; and negative cases,
// each rejected with exactly the `.error` next to it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dockerfile/dump.h"
#include "dockerfile/parser.h"
#include "dockerfile/report.h"
#include "dockerfile/stage_graph.h"
#include "support/test_env.h"

namespace plinth::dockerfile {
namespace {

namespace fs = std::filesystem;

std::string Corpus() { return testing::SourceDir() + "/tests/dockerfile/corpus"; }

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in.good()) << p;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> Dockerfiles(const std::string& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".Dockerfile") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

StageGraphOptions Arm64FromAmd64() {
  StageGraphOptions o;
  o.build_platform = *BuildPlatform::Parse("linux/amd64");
  o.target_platform = *BuildPlatform::Parse("linux/arm64");
  return o;
}

Result<StageGraph> Load(const fs::path& p, const StageGraphOptions& o) {
  auto ast = Parse(Read(p), p.filename().string());
  if (!ast) return ast.error();
  return BuildStageGraph(*ast, o);
}

TEST(CorpusTest, EveryMultiStageDockerfileMatchesItsGraph) {
  auto files = Dockerfiles(Corpus() + "/stages");
  ASSERT_GE(files.size(), 25u);
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.filename().string());
    auto graph = Load(p, Arm64FromAmd64());
    ASSERT_TRUE(graph.ok()) << graph.error().ToString();
    fs::path expected = p;
    expected.replace_extension(".stages.txt");
    EXPECT_EQ(StageGraphToText(*graph), Read(expected));
    EXPECT_EQ(graph->runtime(), static_cast<int>(graph->stages().size()) - 1);
    // Every stage the runtime needs is in its closure, and the closure is ordered.
    auto closure = graph->Closure(graph->runtime());
    EXPECT_TRUE(std::is_sorted(closure.begin(), closure.end()));
    EXPECT_EQ(closure.back(), graph->runtime());
  }
}

TEST(CorpusTest, DistrolessRuntimeWithCrossCompilingBuilder) {
  auto g = Load(Corpus() + "/stages/01-go-distroless.Dockerfile", Arm64FromAmd64());
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  const Stage& build = g->stage(0);
  EXPECT_EQ(build.platform_written, "$BUILDPLATFORM");
  EXPECT_EQ(build.platform, "linux/amd64");
  EXPECT_EQ(*build.args.Lookup("TARGETARCH"), "arm64");
  EXPECT_TRUE(build.runs);
  const Stage& final = g->stage(1);
  EXPECT_EQ(final.name, "final");
  EXPECT_FALSE(final.runs);
  EXPECT_EQ(final.base, "gcr.io/distroless/static-debian12:nonroot");
  EXPECT_EQ(g->ExternalImages(1), (std::vector<std::string>{
                                      "gcr.io/distroless/static-debian12:nonroot",
                                      "golang:1.22-bookworm"}));
}

TEST(CorpusTest, BacktickEscapeFile) {
  auto ast = Parse(Read(Corpus() + "/stages/05-windows-escape.Dockerfile"), "x");
  ASSERT_TRUE(ast.ok());
  EXPECT_EQ(ast->escape_token, '`');
  EXPECT_EQ(ast->instructions[3].args[0], "dotnet restore     --runtime win-x64");
  EXPECT_EQ(ast->instructions[1].args[0], "C:\\src");
}

TEST(CorpusTest, HeredocFiles) {
  auto ast = Parse(Read(Corpus() + "/stages/20-rdp-heredoc-multi.Dockerfile"), "x");
  ASSERT_TRUE(ast.ok());
  const Node& copy = ast->instructions[2];
  ASSERT_EQ(copy.heredocs.size(), 2u);
  EXPECT_EQ(copy.heredocs[0].name, "MAKEFILE");
  EXPECT_FALSE(copy.heredocs[0].expand);
  EXPECT_EQ(copy.heredocs[0].content, "all:\n\tcc -o rdp main.c\n");
  EXPECT_EQ(copy.heredocs[1].content, "listen=0.0.0.0:3389\n");
  auto chomped = Parse(Read(Corpus() + "/stages/26-base-from-debs.Dockerfile"), "x");
  ASSERT_TRUE(chomped.ok());
  EXPECT_TRUE(chomped->instructions[1].heredocs[0].chomp);
}

TEST(CorpusTest, TargetSelectsAnInnerStage) {
  StageGraphOptions o = Arm64FromAmd64();
  o.target = "test";
  auto g = Load(Corpus() + "/stages/11-test-target.Dockerfile", o);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->target(), 1);
  EXPECT_EQ(g->Closure(1), (std::vector<int>{0, 1}));
  EXPECT_EQ(g->Closure(g->runtime()), (std::vector<int>{0, 3, 4}));
}

TEST(CorpusTest, EveryNegativeCaseFailsWithItsError) {
  auto files = Dockerfiles(Corpus() + "/negative");
  ASSERT_GE(files.size(), 15u);
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.filename().string());
    auto graph = Load(p, Arm64FromAmd64());
    ASSERT_FALSE(graph.ok());
    fs::path expected = p;
    expected.replace_extension(".error");
    std::string want = Read(expected);
    if (!want.empty() && want.back() == '\n') want.pop_back();
    EXPECT_EQ(graph.error().ToString(), want);
  }
}

}  // namespace
}  // namespace plinth::dockerfile
