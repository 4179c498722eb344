#include "emit/yaml_text.h"

#include <nlohmann/json.hpp>

namespace plinth::emit {
namespace {

// Plain scalars limited to characters with no meaning to YAML in any position but the first,
// and words YAML 1.1 would read as booleans or null quoted, as well as anything numeric.
bool PlainIsSafe(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == '/';
    if (!ok) return false;
  }
  char first = s[0];
  if (first == '-' || first == '.' || (first >= '0' && first <= '9')) return false;
  static const char* const kReserved[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No",
                                          "NO", "true", "True", "TRUE", "false", "False", "FALSE",
                                          "on", "On", "ON", "off", "Off", "OFF", "null", "Null",
                                          "NULL"};
  for (const char* word : kReserved)
    if (s == word) return false;
  return true;
}

template <typename Write>
std::string FlowList(const std::vector<std::string>& values, Write write) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + write(values[i]);
  return out + "]";
}

}  // namespace

std::string YamlScalar(const std::string& value) {
  return PlainIsSafe(value) ? value : YamlQuoted(value);
}

std::string YamlQuoted(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string YamlFlowList(const std::vector<std::string>& values) {
  return FlowList(values, [](const std::string& v) { return YamlScalar(v); });
}

std::string YamlQuotedFlowList(const std::vector<std::string>& values) {
  return FlowList(values, [](const std::string& v) { return YamlQuoted(v); });
}

std::string YamlCommentText(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

}  // namespace plinth::emit
