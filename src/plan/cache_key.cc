#include "plan/cache_key.h"

#include <nlohmann/json.hpp>

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

std::string CacheKey::ToJson() const {
  nlohmann::json j{{"version", kCacheFormatVersion}, {"inputs", inputs_}};
  return j.dump();
}

Result<CacheKey> CacheKey::FromJson(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("inputs") || !j["inputs"].is_object())
    return InvalidInput("cache record is not a JSON object with 'inputs'");
  CacheKey key;
  for (auto& [k, v] : j["inputs"].items())
    if (v.is_string()) key.Add(k, v.get<std::string>());
  if (j.value("version", 0) != kCacheFormatVersion) key.Add("format", "older plinth");
  return key;
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
