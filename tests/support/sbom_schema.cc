#include "support/sbom_schema.h"

#include <gtest/gtest.h>

#include "support/test_env.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::testing {
namespace {

std::string AuditDir() { return SourceDir() + "/tests/audit"; }

SchemaCheck Run(const std::vector<std::string>& args, const std::string& json_text) {
  SchemaCheck check;
  const std::string ajv = AuditDir() + "/node_modules/.bin/ajv";
  EXPECT_TRUE(PathExists(ajv))
      << "ajv-cli is missing: run `npm ci` in tests/audit (scripts/test.sh does)";
  ScratchDir dir;
  WriteTestFile(dir / "sbom.json", json_text);
  std::vector<std::string> argv = {ajv, "validate", "-c", "ajv-formats", "--strict=false"};
  for (const auto& a : args) {
    // Schemas referenced by the main one are copied with the $id the reference resolves to:
    // the CycloneDX files declare ids without ".SNAPSHOT" but are referenced with it.
    if (a.rfind("ref:", 0) == 0) {
      std::string file = a.substr(4);
      auto text = ReadFile(AuditDir() + "/schemas/" + file);
      EXPECT_TRUE(text) << file;
      if (!text) return check;
      std::string body = *text;
      std::string stem = file.substr(0, file.find(".SNAPSHOT"));
      std::string from = "\"http://cyclonedx.org/schema/" + stem + ".schema.json\"";
      std::string to = "\"http://cyclonedx.org/schema/" + file + "\"";
      if (size_t at = body.find(from); at != std::string::npos) body.replace(at, from.size(), to);
      WriteTestFile(dir / file, body);
      argv.push_back("-r");
      argv.push_back(dir / file);
    } else {
      argv.push_back(a);
    }
  }
  argv.push_back("-d");
  argv.push_back(dir / "sbom.json");
  auto r = RunProcess(argv, SubprocessOptions{.cwd = AuditDir()});
  EXPECT_TRUE(r) << r.error().ToString();
  if (!r) return check;
  check.ran = true;
  check.exit_code = r->exit_code;
  check.output = r->out + r->err;
  return check;
}

}  // namespace

SchemaCheck ValidateSpdx23(const std::string& json_text) {
  return Run({"--spec=draft2019", "-s", AuditDir() + "/schemas/spdx-2.3.schema.json"}, json_text);
}

SchemaCheck ValidateCycloneDx15(const std::string& json_text) {
  return Run({"--spec=draft7", "-s", AuditDir() + "/schemas/bom-1.5.SNAPSHOT.schema.json",
              "ref:spdx.SNAPSHOT.schema.json", "ref:jsf-0.82.SNAPSHOT.schema.json"},
             json_text);
}

}  // namespace plinth::testing
