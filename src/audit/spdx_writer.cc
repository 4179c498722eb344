#include "audit/spdx_writer.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "audit/dep5_copyright.h"
#include "audit/purl.h"
#include "util/sha256.h"

namespace plinth::audit {
namespace {

// SPDX ids allow letters, digits, '.' and '-' only.
std::string IdPart(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-';
    out += ok ? c : '-';
  }
  return out;
}

std::string DigestHex(const std::string& digest) {
  size_t colon = digest.find(':');
  return colon == std::string::npos ? digest : digest.substr(colon + 1);
}

}  // namespace

std::string WriteSpdxJson(const SbomDocument& input) {
  SbomDocument document = input;
  SortDocument(&document);
  using nlohmann::json;
  json doc = json::object();
  doc["spdxVersion"] = "SPDX-2.3";
  doc["dataLicense"] = "CC0-1.0";
  doc["SPDXID"] = "SPDXRef-DOCUMENT";
  doc["name"] = document.image_name.empty() ? document.manifest_digest : document.image_name;
  // A URI unique to the image and the document's content, without naming a host.
  doc["documentNamespace"] =
      "urn:plinth:spdx:" + DigestHex(document.manifest_digest) + ":" +
      Sha256::HexOf(
          json({{"p", document.platform}, {"n", document.image_name}, {"c", document.created}})
              .dump(-1, ' ', false, json::error_handler_t::replace))
          .substr(0, 16);
  doc["creationInfo"] = {{"created", document.created},
                         {"creators", json::array({"Tool: plinth-" + document.tool_version})}};

  const std::string image_id = "SPDXRef-Image";
  json packages = json::array();
  json image = {{"SPDXID", image_id},
                {"name", document.image_name.empty() ? "image" : document.image_name},
                {"versionInfo", document.manifest_digest},
                {"downloadLocation", "NOASSERTION"},
                {"filesAnalyzed", false},
                {"primaryPackagePurpose", "CONTAINER"},
                {"licenseConcluded", "NOASSERTION"},
                {"licenseDeclared", "NOASSERTION"},
                {"copyrightText", "NOASSERTION"}};
  if (!document.manifest_digest.empty()) {
    image["checksums"] = json::array(
        {{{"algorithm", "SHA256"}, {"checksumValue", DigestHex(document.manifest_digest)}}});
    image["externalRefs"] = json::array(
        {{{"referenceCategory", "PACKAGE-MANAGER"},
          {"referenceType", "purl"},
          {"referenceLocator", OciPurl(document.image_name, document.manifest_digest)}}});
  }
  if (!document.platform.empty()) image["comment"] = "platform " + document.platform;
  packages.push_back(image);

  json relationships = json::array();
  relationships.push_back({{"spdxElementId", "SPDXRef-DOCUMENT"},
                           {"relationshipType", "DESCRIBES"},
                           {"relatedSpdxElement", image_id}});
  std::set<std::string> used_ids;
  std::set<std::string> license_refs;
  for (const auto& p : document.packages) {
    std::string id = "SPDXRef-Package-deb-" + IdPart(p.name) + "-" + IdPart(p.architecture);
    const std::string base = id;
    for (int n = 2; used_ids.count(id); ++n) id = base + "-" + std::to_string(n);
    used_ids.insert(id);
    std::string declared = "NOASSERTION";
    if (!p.licenses.empty()) {
      declared.clear();
      for (const auto& l : p.licenses) {
        if (!declared.empty()) declared += " AND ";
        declared += l;
        if (IsLicenseRef(l)) license_refs.insert(l);
      }
      if (p.licenses.size() > 1) declared = "(" + declared + ")";
    }
    std::string source = p.source + " " + (p.source_version.empty() ? p.version : p.source_version);
    json package = {
        {"SPDXID", id},
        {"name", p.name},
        {"versionInfo", p.version},
        {"downloadLocation", "NOASSERTION"},
        {"filesAnalyzed", false},
        {"primaryPackagePurpose", "LIBRARY"},
        {"supplier", "NOASSERTION"},
        {"sourceInfo", "built package from: " + source},
        {"licenseConcluded", "NOASSERTION"},
        {"licenseDeclared", declared},
        {"copyrightText", "NOASSERTION"},
        {"comment", "dpkg record /" + p.record_path},
        {"externalRefs", json::array({{{"referenceCategory", "PACKAGE-MANAGER"},
                                       {"referenceType", "purl"},
                                       {"referenceLocator", DebianPurl(p, document.distro)}}})}};
    packages.push_back(package);
    relationships.push_back({{"spdxElementId", image_id},
                             {"relationshipType", "CONTAINS"},
                             {"relatedSpdxElement", id}});
  }
  doc["packages"] = packages;

  json files = json::array();
  for (const auto& f : document.unowned_files) {
    std::string id = "SPDXRef-File-" + Sha256::HexOf(f.path).substr(0, 20);
    files.push_back(
        {{"SPDXID", id},
         {"fileName", "./" + f.path},
         {"checksums", json::array({{{"algorithm", "SHA256"}, {"checksumValue", f.sha256}}})},
         {"licenseConcluded", "NOASSERTION"},
         {"copyrightText", "NOASSERTION"},
         {"comment", "not owned by any package (" + std::to_string(f.size) + " bytes)"}});
    relationships.push_back({{"spdxElementId", image_id},
                             {"relationshipType", "CONTAINS"},
                             {"relatedSpdxElement", id}});
  }
  if (!files.empty()) doc["files"] = files;
  if (!license_refs.empty()) {
    json infos = json::array();
    for (const auto& ref : license_refs)
      infos.push_back({{"licenseId", ref},
                       {"name", ref.substr(11)},
                       {"extractedText", "The licence the package's DEP-5 copyright file names \"" +
                                             ref.substr(11) + "\"; its text is in that file."}});
    doc["hasExtractedLicensingInfos"] = infos;
  }
  doc["documentDescribes"] = json::array({image_id});
  doc["relationships"] = relationships;
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace plinth::audit
