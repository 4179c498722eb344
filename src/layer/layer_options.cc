#include "layer/layer_options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string>

namespace plinth::layer {

Result<int64_t> ParseTimestamp(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0)
    return InvalidInput("bad timestamp '" + std::string(text) +
                        "': expected seconds since the epoch, e.g. 1700000000");
  return value;
}

Result<Owner> ParseOwner(std::string_view text) {
  size_t colon = text.find(':');
  auto parse = [](std::string_view s, uint32_t* out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
  };
  Owner owner;
  if (colon == std::string_view::npos || !parse(text.substr(0, colon), &owner.uid) ||
      !parse(text.substr(colon + 1), &owner.gid))
    return InvalidInput("bad owner '" + std::string(text) + "': expected UID:GID, e.g. 65532:65532");
  return owner;
}

Result<LayerOptions> LayerOptions::FromEnvironment() {
  LayerOptions options;
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    auto ts = ParseTimestamp(epoch);
    if (!ts) return ts.error().Context("reading SOURCE_DATE_EPOCH");
    options.timestamp = *ts;
  }
  return options;
}

void NormalizeEntry(TarEntry& entry, const LayerOptions& options) {
  entry.mtime = std::min(entry.mtime, options.timestamp);
  if (options.owner) {
    entry.uid = options.owner->uid;
    entry.gid = options.owner->gid;
  }
}

}  // namespace plinth::layer
