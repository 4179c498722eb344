// End to end: the real `plinth dockerfile parse|stages` binary on files in a scratch folder,
// and on BuildKit's conformance cases (dump output compared byte for byte).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_env.h"
#include "util/subprocess.h"

namespace plinth {
namespace {

SubprocessResult Plinth(const std::vector<std::string>& args) {
  std::vector<std::string> argv{PLINTH_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = RunProcess(argv);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? *r : SubprocessResult{};
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(DockerfileCliTest, DumpMatchesBuildKitResults) {
  std::string dir = testing::BuildKitParserDataDir() + "/testfiles";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  int cases = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    SCOPED_TRACE(e.path().string());
    auto r = Plinth({"dockerfile", "parse", "--format", "dump", e.path().string() + "/Dockerfile"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, ReadAll(e.path().string() + "/result"));
    ++cases;
  }
  EXPECT_EQ(cases, 33);
}

TEST(DockerfileCliTest, ParseJsonHasPositions) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile", "FROM alpine\n  RUN <<EOF\necho hi\nEOF\n");
  auto r = Plinth({"dockerfile", "parse", dir / "Dockerfile"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["instructions"].size(), 2u);
  EXPECT_EQ(j["instructions"][1]["keyword"], "RUN");
  EXPECT_EQ(j["instructions"][1]["start_line"], 2);
  EXPECT_EQ(j["instructions"][1]["end_line"], 4);
  EXPECT_EQ(j["instructions"][1]["column"], 3);
  EXPECT_EQ(j["instructions"][1]["heredocs"][0]["content"], "echo hi\n");
}

TEST(DockerfileCliTest, StagesTextAndJson) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile",
                         "ARG GO=1.21\n"
                         "FROM --platform=$BUILDPLATFORM golang:${GO} AS build\n"
                         "ARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /app\n"
                         "FROM gcr.io/distroless/static-debian12:nonroot\n"
                         "COPY --from=build /app /app\n");
  auto text = Plinth({"dockerfile", "stages", dir / "Dockerfile", "--build-arg", "GO=1.22",
                      "--platform", "linux/arm64"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("stage 0 build: FROM golang:1.22 (platform linux/"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("stage 1: FROM gcr.io/distroless/static-debian12:nonroot [line 5] "
                          "target runtime"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("edge #1 -> stage build (copy-from, line 6)"), std::string::npos);

  auto json = Plinth({"dockerfile", "stages", dir / "Dockerfile", "--format", "json",
                      "--platform", "linux/arm64"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["target_platform"], "linux/arm64");
  EXPECT_EQ(j["stages"][0]["base"], "golang:1.21");
  EXPECT_EQ(j["stages"][0]["runs"], true);
  EXPECT_EQ(j["runtime"], 1);
  EXPECT_EQ(j["edges"][2]["kind"], "copy-from");
  EXPECT_EQ(j["edges"][2]["stage"], 0);
}

TEST(DockerfileCliTest, BadInputExitsTwoWithLocation) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile", "FROM alpine\nCOPY --chwon=1 a b\n");
  auto r = Plinth({"dockerfile", "stages", dir / "Dockerfile"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir / "Dockerfile" + ":2:6: unknown flag: chwon"), std::string::npos)
      << r.err;
  auto missing = Plinth({"dockerfile", "parse", dir / "nope"});
  EXPECT_EQ(missing.exit_code, 2);
  auto target = Plinth({"dockerfile", "stages", dir / "Dockerfile", "--target", "x"});
  EXPECT_EQ(target.exit_code, 2);
}

}  // namespace
}  // namespace plinth
