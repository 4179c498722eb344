#include "oci/descriptor.h"

namespace plinth::oci {

Result<std::string> JsonString(const nlohmann::json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return InvalidInput(std::string("missing field '") + key + "'");
    return std::string();
  }
  if (!it->is_string()) return InvalidInput(std::string("field '") + key + "' is not a string");
  return it->get<std::string>();
}

nlohmann::json Descriptor::ToJson() const {
  nlohmann::json j;
  j["mediaType"] = media_type;
  j["digest"] = digest.str();
  j["size"] = size;
  if (platform) {
    nlohmann::json p{{"os", platform->os}, {"architecture", platform->architecture}};
    if (!platform->variant.empty()) p["variant"] = platform->variant;
    j["platform"] = p;
  }
  if (!annotations.empty()) j["annotations"] = annotations;
  if (artifact_type) j["artifactType"] = *artifact_type;
  return j;
}

Result<Descriptor> Descriptor::FromJson(const nlohmann::json& j) {
  if (!j.is_object()) return InvalidInput("descriptor is not an object");
  Descriptor d;
  PLINTH_TRY(d.media_type, JsonString(j, "mediaType", false));
  PLINTH_TRY(std::string digest, JsonString(j, "digest"));
  PLINTH_TRY(d.digest, Digest::Parse(digest));
  if (!j.contains("size") || !j["size"].is_number_integer())
    return InvalidInput("descriptor of " + digest + " has no integer 'size'");
  d.size = j["size"].get<int64_t>();
  if (d.size < 0) return InvalidInput("descriptor of " + digest + " has a negative size");
  if (auto it = j.find("platform"); it != j.end() && it->is_object()) {
    Platform p;
    PLINTH_TRY(p.os, JsonString(*it, "os", false));
    PLINTH_TRY(p.architecture, JsonString(*it, "architecture", false));
    PLINTH_TRY(p.variant, JsonString(*it, "variant", false));
    d.platform = p;
  }
  if (auto it = j.find("annotations"); it != j.end() && it->is_object()) {
    for (auto& [k, v] : it->items())
      if (v.is_string()) d.annotations[k] = v.get<std::string>();
  }
  if (auto it = j.find("artifactType"); it != j.end() && it->is_string())
    d.artifact_type = it->get<std::string>();
  return d;
}

}  // namespace plinth::oci
