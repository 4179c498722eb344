// Writing YAML by hand, safely: every value plinth.yaml supplied may be hostile, so scalars are
// written as JSON strings (valid YAML double-quoted scalars, every control character escaped)
// and comments never carry a line break.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plinth::emit {

// "text" as a double-quoted scalar; bytes that are not UTF-8 become U+FFFD.
std::string YamlQuoted(std::string_view text);
// ["a", "b"] as a flow sequence of quoted scalars.
std::string YamlFlowList(const std::vector<std::string>& items);
// Text safe after "# ": control characters (line breaks included) become spaces.
std::string YamlCommentText(std::string_view text);

}  // namespace plinth::emit
