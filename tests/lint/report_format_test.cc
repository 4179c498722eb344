// Output formats: text lines, the JSON array, and SARIF 2.1.0 validated against the official
// schema with ajv-cli (installed by scripts/test.sh: `npm ci` in tests/lint; missing is a
// failure, not a skip).
#include "lint/report_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lint/linter.h"
#include "support/test_env.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::lint {
namespace {

using ::testing::HasSubstr;

std::vector<Finding> Sample() {
  auto result = LintDockerfileText(
      "FROM debian\nWORKDIR app\nRUN curl -s https://x | tar x\nCOPY a b /c\n", "dir with space/Dockerfile");
  EXPECT_TRUE(result);
  return result->findings;
}

TEST(ReportFormatTest, TextIsOneLinePerFindingWithAHint) {
  std::string text = FormatText(Sample());
  EXPECT_THAT(text, HasSubstr("dir with space/Dockerfile:1:1: warning [PL203] Always tag the version of an image "
                              "explicitly (debian) (hint: pin a release tag, such as debian:<version>)\n"));
  EXPECT_THAT(text, HasSubstr("dir with space/Dockerfile:2:1: error [PL201] Use absolute WORKDIR"));
}

TEST(ReportFormatTest, JsonIsAnArrayOfFindings) {
  auto json = nlohmann::json::parse(FormatJson(Sample()));
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 4u);
  EXPECT_EQ(json[1]["file"], "dir with space/Dockerfile");
  EXPECT_EQ(json[1]["line"], 2);
  EXPECT_EQ(json[1]["column"], 1);
  EXPECT_EQ(json[1]["severity"], "error");
  EXPECT_EQ(json[1]["code"], "PL201");
  EXPECT_EQ(json[1]["aliases"], nlohmann::json({"DL3000", "workdir-absolute"}));
  EXPECT_EQ(json[1]["message"], "Use absolute WORKDIR (\"app\" is relative)");
}

TEST(ReportFormatTest, SarifValidatesAgainstTheSarif210Schema) {
  const std::string ajv = testing::SourceDir() + "/tests/lint/node_modules/.bin/ajv";
  ASSERT_TRUE(PathExists(ajv)) << "ajv-cli is missing: run `npm ci` in tests/lint (scripts/test.sh does)";
  testing::ScratchDir dir;
  std::string sarif = FormatSarif(Sample());
  auto parsed = nlohmann::json::parse(sarif);
  EXPECT_EQ(parsed["version"], "2.1.0");
  const auto& run = parsed["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "plinth");
  ASSERT_EQ(run["results"].size(), 4u);
  const auto& result = run["results"][1];
  EXPECT_EQ(result["ruleId"], "PL201");
  EXPECT_EQ(result["level"], "error");
  EXPECT_EQ(run["tool"]["driver"]["rules"][result["ruleIndex"].get<int>()]["id"], "PL201");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "dir%20with%20space/Dockerfile");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 2);

  auto validate = [&](const std::string& text) {
    testing::WriteTestFile(dir / "report.json", text);
    auto r = RunProcess({ajv, "validate", "--spec=draft2020", "-c", "ajv-formats", "--strict=false", "-s",
                         testing::SourceDir() + "/tests/lint/sarif-schema-2.1.0.json", "-d", dir / "report.json"},
                        SubprocessOptions{.cwd = testing::SourceDir() + "/tests/lint"});
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : SubprocessResult{};
  };
  auto good = validate(sarif);
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_EQ(validate(FormatSarif({})).exit_code, 0);
  // The validator is real: a wrong level is refused.
  parsed["runs"][0]["results"][0]["level"] = "fatal";
  EXPECT_NE(validate(parsed.dump()).exit_code, 0);
}

}  // namespace
}  // namespace plinth::lint
