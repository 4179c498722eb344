#include "emit/yaml_text.h"

#include <nlohmann/json.hpp>

namespace plinth::emit {

std::string YamlQuoted(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string YamlFlowList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + YamlQuoted(items[i]);
  return out + "]";
}

std::string YamlCommentText(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

}  // namespace plinth::emit
