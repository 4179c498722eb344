// End to end: `--format json` (issue 14, "CLI traps"): a command asked for JSON reports an error
// as one JSON object line on stderr, not as "plinth: error: ..." text, so a script reading the
// command's output can read its failure the same way.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::RunPlinth;

// The one JSON object a run wrote to stderr; a failure names the text when it is anything else.
json ErrorObject(const std::string& err) {
  auto j = json::parse(err, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "stderr is not one JSON value: " << err;
  return j.is_discarded() ? json::object() : j;
}

class CliJsonTest : public ::testing::Test {
 protected:
  testing::ScratchDir dir_;
};

TEST_F(CliJsonTest, ABrokenFleetFileIsReportedAsOneJsonObjectWithItsLocation) {
  testing::WriteTestFile(dir_ / "plinth.yaml", "services:\n  web: [unclosed\n");
  for (const char* command : {"build", "plan"}) {
    SCOPED_TRACE(command);
    auto r = RunPlinth({command, "--format", "json"}, {}, dir_.path());
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    json e = ErrorObject(r.err)["error"];
    ASSERT_TRUE(e.is_object()) << r.err;
    EXPECT_EQ(e["kind"], "invalid_input") << r.err;
    EXPECT_EQ(e["exit_code"], 2);
    EXPECT_FALSE(e["message"].get<std::string>().empty());
    ASSERT_TRUE(e["where"].is_object()) << r.err;
    EXPECT_THAT(e["where"]["file"].get<std::string>(), HasSubstr("plinth.yaml"));
    EXPECT_GT(e["where"]["line"].get<int>(), 0) << r.err;
  }
}

TEST_F(CliJsonTest, LintImageInspectAndDockerfileReportErrorsAsJsonToo) {
  testing::WriteTestFile(dir_ / "plinth.yaml", "services:\n  web: [unclosed\n");
  testing::WriteTestFile(dir_ / "Dockerfile", "FROM scratch\nCOPY --chmod=bad a /a\n");
  std::vector<std::vector<std::string>> runs = {
      {"lint", "--format", "json"},
      {"image", "inspect", "--store", dir_ / "none", "--format", "json", "lucid/x:1"},
      {"dockerfile", "stages", "--format", "json", dir_ / "missing.Dockerfile"},
      {"dockerfile", "parse", "--format", "json", dir_ / "missing.Dockerfile"}};
  for (const auto& args : runs) {
    SCOPED_TRACE(args[0] + " " + args[1]);
    auto r = RunPlinth(args, {}, dir_.path());
    EXPECT_NE(r.exit_code, 0) << r.out << r.err;
    json e = ErrorObject(r.err)["error"];
    ASSERT_TRUE(e.is_object()) << r.err;
    EXPECT_EQ(e["exit_code"], r.exit_code) << r.err;
    EXPECT_FALSE(e["message"].get<std::string>().empty());
  }
}

TEST_F(CliJsonTest, WithoutJsonTheErrorStaysText) {
  testing::WriteTestFile(dir_ / "plinth.yaml", "services:\n  web: [unclosed\n");
  auto r = RunPlinth({"build"}, {}, dir_.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("plinth: error: "));
}

TEST_F(CliJsonTest, VersionPrintsOneObject) {
  auto r = RunPlinth({"version", "--format", "json", "--store", dir_ / "store"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_FALSE(j["version"].get<std::string>().empty());
  EXPECT_EQ(j["store"], dir_ / "store");
}

TEST_F(CliJsonTest, StoreLsPrintsAnArrayOfImages) {
  testing::WriteTestFile(dir_ / "hello.txt", "hello\n");
  std::string store = dir_ / "store";
  auto built = RunPlinth({"image", "build", "--store", store, "--from", "scratch", "--add",
                          dir_ / "hello.txt:/hello.txt", "-t", "cli/x:1"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto r = RunPlinth({"store", "ls", "--format", "json", "--store", store});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_TRUE(j.is_array()) << r.out;
  ASSERT_EQ(j.size(), 1u) << r.out;
  EXPECT_THAT(j[0]["name"].get<std::string>(), HasSubstr("cli/x:1"));
  EXPECT_EQ(j[0]["digest"].get<std::string>().size(), 71u) << r.out;  // sha256: and 64 hex
  EXPECT_EQ(j[0]["kind"], "image");
  EXPECT_EQ(j[0]["platforms"].size(), 1u) << r.out;
  EXPECT_GT(j[0]["size"].get<int64_t>(), 0);
}

TEST_F(CliJsonTest, AnUnknownFormatIsRefused) {
  for (std::vector<std::string> args : {std::vector<std::string>{"version"}, {"store", "ls"}}) {
    args.insert(args.end(), {"--format", "yaml", "--store", dir_ / "store"});
    EXPECT_EQ(RunPlinth(args).exit_code, 2) << args[0];
  }
}

TEST_F(CliJsonTest, StoreLsOfAMissingStoreIsAJsonError) {
  auto r = RunPlinth({"store", "ls", "--format", "json", "--store", dir_ / "none"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(ErrorObject(r.err)["error"].is_object()) << r.err;
}

TEST_F(CliJsonTest, MigratePrintsItsChangesThenWritesThem) {
  namespace fs = std::filesystem;
  const std::string root = dir_ / "lucid-legacy";
  fs::copy(testing::SourceDir() + "/examples/lucid-legacy", root, fs::copy_options::recursive);
  auto dry = RunPlinth({"migrate", "--dry-run", "--format", "json"}, {}, root);
  EXPECT_EQ(dry.exit_code, 1) << dry.err;
  json j = json::parse(dry.out);
  EXPECT_EQ(j["dry_run"], true);
  ASSERT_TRUE(j["changes"].is_array()) << dry.out;
  bool saw_redis = false;
  for (const auto& c : j["changes"]) {
    if (c["service"] != "redis") continue;
    saw_redis = true;
    EXPECT_EQ(c["path"], "services/redis/Dockerfile");
    EXPECT_EQ(c["where"]["line"], 10) << c;
    EXPECT_EQ(c["old_base"], "gcr.io/distroless/python3-debian12:nonroot");
    EXPECT_EQ(c["new_base"], "pickme/lucid-base:python-distroless-${TARGETARCH}");
  }
  EXPECT_TRUE(saw_redis) << dry.out;

  auto applied = RunPlinth({"migrate", "--format", "json"}, {}, root);
  EXPECT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_EQ(json::parse(applied.out)["changes"].size(), j["changes"].size());
  auto again = RunPlinth({"migrate", "--format", "json"}, {}, root);
  EXPECT_EQ(json::parse(again.out)["changes"], json::array());
}

}  // namespace
}  // namespace plinth
