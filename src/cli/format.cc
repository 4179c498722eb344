#include "cli/format.h"

#include <cstdio>

namespace plinth::cli {

std::string HumanBytes(int64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) v /= 1000, ++u;
  char buf[32];
  snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

std::string HumanDuration(double seconds) {
  char buf[32];
  if (seconds < 1) snprintf(buf, sizeof buf, "%.0fms", seconds * 1000);
  else snprintf(buf, sizeof buf, "%.2fs", seconds);
  return buf;
}

nlohmann::json LocationJson(const Location& location) {
  if (location.empty()) return nullptr;
  return {{"file", location.file}, {"line", location.line}, {"column", location.column}};
}

std::string DumpJson(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace plinth::cli
