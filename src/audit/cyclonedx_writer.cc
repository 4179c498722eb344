#include "audit/cyclonedx_writer.h"

#include <nlohmann/json.hpp>
#include <set>

#include "audit/dep5_copyright.h"
#include "audit/purl.h"
#include "util/sha256.h"

namespace plinth::audit {
namespace {

// An RFC 4122 name-based UUID shape (version 5 bits, variant 10) over a SHA-256 of `seed`.
std::string DerivedUuid(const std::string& seed) {
  std::string hex = Sha256::HexOf(seed).substr(0, 32);
  hex[12] = '5';
  static const char kVariant[] = "89ab";
  hex[16] = kVariant[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace

std::string WriteCycloneDxJson(const SbomDocument& input) {
  SbomDocument document = input;
  SortDocument(&document);
  using nlohmann::json;
  json bom = json::object();
  bom["bomFormat"] = "CycloneDX";
  bom["specVersion"] = "1.5";
  bom["serialNumber"] =
      "urn:uuid:" + DerivedUuid(json({{"d", document.manifest_digest},
                                      {"p", document.platform},
                                      {"n", document.image_name},
                                      {"c", document.created}})
                                    .dump(-1, ' ', false, json::error_handler_t::replace));
  bom["version"] = 1;
  json subject = {{"type", "container"},
                  {"bom-ref", "image"},
                  {"name", document.image_name.empty() ? "image" : document.image_name}};
  if (!document.manifest_digest.empty()) {
    subject["version"] = document.manifest_digest;
    subject["purl"] = OciPurl(document.image_name, document.manifest_digest);
  }
  if (!document.platform.empty())
    subject["properties"] =
        json::array({{{"name", "plinth:platform"}, {"value", document.platform}}});
  bom["metadata"] = {{"timestamp", document.created},
                     {"tools",
                      {{"components", json::array({{{"type", "application"},
                                                    {"name", "plinth"},
                                                    {"version", document.tool_version}}})}}},
                     {"component", subject}};

  json components = json::array();
  std::set<std::string> refs;
  json depends = json::array();
  for (const auto& p : document.packages) {
    std::string purl = DebianPurl(p, document.distro);
    std::string ref = purl;
    for (int n = 2; refs.count(ref); ++n) ref = purl + "#" + std::to_string(n);
    refs.insert(ref);
    json component = {{"type", "library"},
                      {"bom-ref", ref},
                      {"name", p.name},
                      {"version", p.version},
                      {"purl", purl}};
    if (!p.licenses.empty()) {
      json licenses = json::array();
      for (const auto& l : p.licenses) {
        if (IsLicenseRef(l))
          licenses.push_back({{"license", {{"name", l.substr(11)}}}});
        else
          licenses.push_back({{"license", {{"id", l}}}});
      }
      component["licenses"] = licenses;
    }
    json properties = json::array({{{"name", "plinth:deb:source"}, {"value", p.source}}});
    if (!p.source_version.empty())
      properties.push_back({{"name", "plinth:deb:source-version"}, {"value", p.source_version}});
    if (!p.architecture.empty())
      properties.push_back({{"name", "plinth:deb:architecture"}, {"value", p.architecture}});
    properties.push_back({{"name", "plinth:deb:record"}, {"value", "/" + p.record_path}});
    component["properties"] = properties;
    components.push_back(component);
    depends.push_back(ref);
  }
  for (const auto& f : document.unowned_files) {
    std::string ref = "file:" + PercentEncode(f.path);  // unique even where names are not UTF-8
    components.push_back(
        {{"type", "file"},
         {"bom-ref", ref},
         {"name", "/" + f.path},
         {"hashes", json::array({{{"alg", "SHA-256"}, {"content", f.sha256}}})},
         {"properties",
          json::array({{{"name", "plinth:unowned"}, {"value", "true"}},
                       {{"name", "plinth:size"}, {"value", std::to_string(f.size)}}})}});
    depends.push_back(ref);
  }
  bom["components"] = components;
  bom["dependencies"] = json::array({{{"ref", "image"}, {"dependsOn", depends}}});
  return bom.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace plinth::audit
