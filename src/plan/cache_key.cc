#include "plan/cache_key.h"

#include "util/sha256.h"

namespace plinth::plan {

std::string CacheKey::Digest() const {
  Sha256 h;
  h.Update("plinth-cache-v" + std::to_string(kCacheFormatVersion) + "\n");
  for (const auto& [name, value] : inputs_) {
    h.Update(name);
    h.Update(std::string_view("\0", 1));
    h.Update(value);
    h.Update("\n");
  }
  return "sha256:" + h.FinishHex();
}

std::vector<std::string> CacheKey::Diff(const CacheKey& before) const {
  std::vector<std::string> out;
  for (const auto& [name, value] : inputs_) {
    auto it = before.inputs_.find(name);
    if (it == before.inputs_.end()) out.push_back(name + " added");
    else if (it->second != value) out.push_back(name + " changed");
  }
  for (const auto& [name, value] : before.inputs_)
    if (!inputs_.count(name)) out.push_back(name + " removed");
  return out;
}

}  // namespace plinth::plan
