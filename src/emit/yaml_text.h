// Scalars for the YAML plinth writes by hand (workflows): a value is written plain when YAML
// reads it back as the same string, and double-quoted (JSON escapes, which YAML accepts)
// otherwise, so that no name from plinth.yaml can change the document's structure.
#pragma once

#include <string>
#include <vector>

namespace plinth::emit {

std::string YamlScalar(const std::string& value);
// A flow sequence of scalars: "[a, \"b c\"]".
std::string YamlFlowList(const std::vector<std::string>& values);

}  // namespace plinth::emit
