#include "emit/registry_host.h"

namespace plinth::emit {

Status CheckRegistryHost(const std::string& host) {
  bool ok = !host.empty();
  for (char c : host)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == ':' || c == '[' || c == ']');
  if (!ok) return InvalidInput("registry '" + host + "': expected a host[:port]");
  return Ok{};
}

}  // namespace plinth::emit
