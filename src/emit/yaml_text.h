// Writing YAML by hand, safely: every value plinth.yaml supplied may be hostile, so a scalar is
// written plain only when YAML reads it back as the same string, and otherwise double-quoted
// (JSON escapes, which YAML accepts, every control character escaped); comments never carry a
// line break. No name from plinth.yaml can change the document's structure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plinth::emit {

// Plain when that is safe, else quoted as YamlQuoted does (workflows).
std::string YamlScalar(const std::string& value);
// "text" as a double-quoted scalar, always; bytes that are not UTF-8 become U+FFFD.
std::string YamlQuoted(std::string_view text);
// A flow sequence of YamlScalar values: [a, "b c"].
std::string YamlFlowList(const std::vector<std::string>& values);
// A flow sequence of YamlQuoted values: ["a", "b c"] (compose files quote every value).
std::string YamlQuotedFlowList(const std::vector<std::string>& values);
// Text safe after "# ": control characters (line breaks included) become spaces.
std::string YamlCommentText(std::string_view text);

}  // namespace plinth::emit
