#include "util/human_units.h"

#include <cstdio>

namespace plinth {

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

}  // namespace plinth
