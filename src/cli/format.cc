#include "cli/format.h"

#include <cstdio>

namespace plinth::cli {

nlohmann::json LocationJson(const Location& location) {
  if (location.empty()) return nullptr;
  return {{"file", location.file}, {"line", location.line}, {"column", location.column}};
}

std::string DumpJson(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace plinth::cli
