#include "oci/manifest.h"

#include "oci/json_guard.h"

#include "oci/media_types.h"

namespace plinth::oci {
namespace {

using nlohmann::json;

Result<json> ParseObject(std::string_view bytes, const char* what) {
  json j = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return InvalidInput(std::string(what) + " is not a JSON object");
  return j;
}

std::map<std::string, std::string> Annotations(const json& j) {
  std::map<std::string, std::string> out;
  if (auto it = j.find("annotations"); it != j.end() && it->is_object())
    for (auto& [k, v] : it->items())
      if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

}  // namespace

std::string_view Manifest::kOciManifestType() { return kOciManifest; }
std::string_view Index::kOciIndexType() { return kOciIndex; }

std::string Manifest::ToJsonString() const {
  json j;
  j["schemaVersion"] = 2;
  j["mediaType"] = media_type;
  if (artifact_type) j["artifactType"] = *artifact_type;
  j["config"] = config.ToJson();
  json layers_json = json::array();
  for (const auto& l : layers) layers_json.push_back(l.ToJson());
  j["layers"] = layers_json;
  if (subject) j["subject"] = subject->ToJson();
  if (!annotations.empty()) j["annotations"] = annotations;
  return j.dump();
}

Result<Manifest> Manifest::Parse(std::string_view bytes) {
  return ReadJsonDocument<Manifest>("reading manifest", [&] { return ParseUnguarded(bytes); });
}

Result<Manifest> Manifest::ParseUnguarded(std::string_view bytes) {
  PLINTH_TRY(json j, ParseObject(bytes, "manifest"));
  PLINTH_TRY(int64_t schema_version, IntegerField(j, "schemaVersion", 0));
  if (schema_version != 2) return InvalidInput("manifest has schemaVersion other than 2");
  Manifest m;
  m.media_type = j.value("mediaType", std::string(kOciManifest));
  if (!IsManifestType(m.media_type))
    return InvalidInput("document of type '" + m.media_type + "' is not an image manifest");
  if (!j.contains("config")) return InvalidInput("manifest has no config");
  PLINTH_TRY(m.config, Descriptor::FromJson(j["config"]));
  if (auto it = j.find("layers"); it != j.end()) {
    if (!it->is_array()) return InvalidInput("manifest 'layers' is not an array");
    for (const auto& l : *it) {
      PLINTH_TRY(Descriptor d, Descriptor::FromJson(l));
      m.layers.push_back(d);
    }
  }
  if (auto it = j.find("subject"); it != j.end()) {
    PLINTH_TRY(Descriptor s, Descriptor::FromJson(*it));
    m.subject = s;
  }
  if (auto it = j.find("artifactType"); it != j.end() && it->is_string())
    m.artifact_type = it->get<std::string>();
  m.annotations = Annotations(j);
  return m;
}

std::string Index::ToJsonString() const {
  json j;
  j["schemaVersion"] = 2;
  j["mediaType"] = media_type;
  json list = json::array();
  for (const auto& d : manifests) list.push_back(d.ToJson());
  j["manifests"] = list;
  if (!annotations.empty()) j["annotations"] = annotations;
  return j.dump();
}

Result<Index> Index::Parse(std::string_view bytes) {
  return ReadJsonDocument<Index>("reading index", [&] { return ParseUnguarded(bytes); });
}

Result<Index> Index::ParseUnguarded(std::string_view bytes) {
  PLINTH_TRY(json j, ParseObject(bytes, "index"));
  PLINTH_TRY(int64_t schema_version, IntegerField(j, "schemaVersion", 0));
  if (schema_version != 2) return InvalidInput("index has schemaVersion other than 2");
  Index idx;
  idx.media_type = j.value("mediaType", std::string(kOciIndex));
  if (!IsIndexType(idx.media_type))
    return InvalidInput("document of type '" + idx.media_type + "' is not an image index");
  if (auto it = j.find("manifests"); it != j.end()) {
    if (!it->is_array()) return InvalidInput("index 'manifests' is not an array");
    for (const auto& m : *it) {
      PLINTH_TRY(Descriptor d, Descriptor::FromJson(m));
      idx.manifests.push_back(d);
    }
  }
  idx.annotations = Annotations(j);
  return idx;
}

std::string SniffMediaType(std::string_view bytes) {
  json j = json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "";
  if (auto it = j.find("mediaType"); it != j.end() && it->is_string()) return it->get<std::string>();
  if (j.contains("manifests")) return std::string(kOciIndex);
  if (j.contains("config") && j.contains("layers")) return std::string(kOciManifest);
  return "";
}

}  // namespace plinth::oci
