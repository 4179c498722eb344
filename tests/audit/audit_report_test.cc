// Audit output: text lines and summaries, the JSON document, and SARIF 2.1.0 validated against
// the official schema with ajv-cli (tests/lint's, installed by scripts/test.sh: `npm ci` in
// tests/lint; missing is a failure, not a skip).
#include "audit/audit_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_env.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::audit {
namespace {

std::vector<AuditResult> Sample() {
  AuditResult r;
  r.image = "pickme/lucid-api:latest-amd64";
  r.platform = "linux/amd64";
  r.files = 12;
  r.compressed_size = 2'500'000;
  r.figures.layers.resize(3);
  r.figures.file_bytes = 7'000'000;
  r.figures.wasted_bytes = 1234;
  r.suppressed = 1;
  r.findings = {
      {.image = r.image,
       .path = "",
       .code = "PA101",
       .slug = "user-root",
       .severity = Severity::kError,
       .aliases = {"CIS-DI-0001"},
       .message = "the image sets no USER, so it runs as root",
       .hint = "set USER"},
      {.image = r.image,
       .path = "usr/bin/my tool",
       .code = "PA110",
       .slug = "shell",
       .severity = Severity::kError,
       .message = "/usr/bin/my tool is busybox (by its content)"},
      {.image = r.image,
       .path = "",
       .code = "PA150",
       .slug = "wasted-bytes",
       .severity = Severity::kNote,
       .message = "1.2 kB wasted"},
  };
  AuditResult clean;
  clean.image = "pickme/lucid-base:latest-amd64";
  clean.platform = "linux/amd64";
  return {r, clean};
}

TEST(AuditReportTest, TextIsOneLinePerFindingAndASummaryPerImage) {
  std::string text = FormatAuditText(Sample());
  EXPECT_NE(text.find("pickme/lucid-api:latest-amd64: error [PA101] the image sets no USER, so "
                      "it runs as root (hint: set USER)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("pickme/lucid-api:latest-amd64:/usr/bin/my tool: error [PA110]"),
            std::string::npos);
  EXPECT_NE(text.find("pickme/lucid-api:latest-amd64 (linux/amd64): 12 paths, 7.0 MB in 3 "
                      "layers, 2.5 MB compressed, 1.2 kB wasted: 2 errors, 0 warnings, 1 note "
                      "(1 suppressed)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("pickme/lucid-base:latest-amd64 (linux/amd64): 0 paths"), std::string::npos);
}

TEST(AuditReportTest, JsonHasImagesWithFiguresAndFindings) {
  auto json = nlohmann::json::parse(FormatAuditJson(Sample()));
  ASSERT_EQ(json["images"].size(), 2u);
  const auto& image = json["images"][0];
  EXPECT_EQ(image["wasted_bytes"], 1234);
  EXPECT_EQ(image["layers"], 3);
  EXPECT_EQ(image["suppressed"], 1);
  ASSERT_EQ(image["findings"].size(), 3u);
  EXPECT_EQ(image["findings"][0]["aliases"], nlohmann::json({"CIS-DI-0001"}));
  EXPECT_EQ(image["findings"][1]["path"], "/usr/bin/my tool");
  EXPECT_EQ(image["findings"][1]["slug"], "shell");
  EXPECT_EQ(json["images"][1]["findings"].size(), 0u);
}

TEST(AuditReportTest, SarifValidatesAgainstTheSarif210Schema) {
  const std::string lint_dir = plinth::testing::SourceDir() + "/tests/lint";
  const std::string ajv = lint_dir + "/node_modules/.bin/ajv";
  ASSERT_TRUE(PathExists(ajv))
      << "ajv-cli is missing: run `npm ci` in tests/lint (scripts/test.sh does)";
  plinth::testing::ScratchDir dir;
  std::string sarif = FormatAuditSarif(Sample());
  auto parsed = nlohmann::json::parse(sarif);
  const auto& run = parsed["runs"][0];
  ASSERT_EQ(run["results"].size(), 3u);
  const auto& shell = run["results"][1];
  EXPECT_EQ(shell["ruleId"], "PA110");
  EXPECT_EQ(run["tool"]["driver"]["rules"][shell["ruleIndex"].get<int>()]["id"], "PA110");
  EXPECT_EQ(shell["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "usr/bin/my%20tool");
  EXPECT_EQ(shell["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "pickme/lucid-api:latest-amd64");
  EXPECT_EQ(run["results"][2]["level"], "note");
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["deprecatedIds"], nlohmann::json({"CIS-DI-0001"}));

  auto validate = [&](const std::string& text) {
    plinth::testing::WriteTestFile(dir / "report.json", text);
    auto r = RunProcess({ajv, "validate", "--spec=draft2020", "-c", "ajv-formats", "--strict=false",
                         "-s", lint_dir + "/sarif-schema-2.1.0.json", "-d", dir / "report.json"},
                        SubprocessOptions{.cwd = lint_dir});
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : SubprocessResult{};
  };
  auto good = validate(sarif);
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_EQ(validate(FormatAuditSarif({})).exit_code, 0);
  parsed["runs"][0]["results"][0]["level"] = "fatal";
  EXPECT_NE(validate(parsed.dump()).exit_code, 0);
}

}  // namespace
}  // namespace plinth::audit
