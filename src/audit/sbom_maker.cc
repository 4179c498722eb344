#include "audit/sbom_maker.h"

#include "audit/cyclonedx_writer.h"
#include "audit/dpkg_database.h"
#include "audit/spdx_writer.h"

namespace plinth::audit {

Result<SbomFormat> ParseSbomFormat(const std::string& text) {
  if (text == "spdx-json") return SbomFormat::kSpdxJson;
  if (text == "cyclonedx-json") return SbomFormat::kCycloneDxJson;
  return InvalidInput("unknown SBOM format \"" + text + "\" (spdx-json, cyclonedx-json)");
}

std::string SbomText(const SbomDocument& document, SbomFormat format) {
  return format == SbomFormat::kSpdxJson ? WriteSpdxJson(document) : WriteCycloneDxJson(document);
}

std::string SbomMediaType(SbomFormat format) {
  return format == SbomFormat::kSpdxJson ? kSpdxMediaType : kCycloneDxMediaType;
}

Result<SbomDocument> MakeSbom(const oci::LayoutStore& store, const oci::Image& image,
                              const oci::Descriptor& manifest, const std::string& name) {
  PLINTH_TRY(auto db, ReadDpkgDatabase(store, image, name));
  SbomDocument document;
  document.image_name = name;
  document.manifest_digest = manifest.digest.str();
  const auto& platform = image.config.platform;
  document.platform = platform.os + "/" + platform.architecture;
  if (!platform.variant.empty()) document.platform += "/" + platform.variant;
  document.created = SbomTimestamp(image.config.created);
  document.distro = db.distro;
  document.tool_version = PLINTH_VERSION;
  document.packages = std::move(db.packages);
  document.unowned_files = std::move(db.unowned_files);
  return document;
}

}  // namespace plinth::audit
