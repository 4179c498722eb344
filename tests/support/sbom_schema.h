// Validates SBOM JSON against the schemas vendored in tests/audit/schemas with ajv-cli (installed
// by scripts/test.sh: `npm ci` in tests/audit; missing is a failure, not a skip). Used by the
// writers' unit tests and by the end-to-end test of real images.
#pragma once

#include <string>

namespace plinth::testing {

struct SchemaCheck {
  bool ran = false;  // ajv could be run at all
  int exit_code = -1;
  std::string output;
};

SchemaCheck ValidateSpdx23(const std::string& json_text);
SchemaCheck ValidateCycloneDx15(const std::string& json_text);

}  // namespace plinth::testing
