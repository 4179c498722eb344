// CycloneDxWriter: an SbomDocument as CycloneDX 1.5 JSON (https://cyclonedx.org/docs/1.5/json/),
// validated in tests/audit against the official schema. The image is the metadata component
// (type container, its manifest digest as version); each Debian package is a library component
// whose bom-ref is its purl, with its licences (SPDX ids, or names for LicenseRef-…) and its
// source package as a property; files no package owns are file components with their SHA-256.
// The serial number is a UUID derived from the image and the document (same input, same bytes).
#pragma once

#include <string>

#include "audit/sbom_document.h"

namespace plinth::audit {

inline constexpr const char* kCycloneDxMediaType = "application/vnd.cyclonedx+json";

std::string WriteCycloneDxJson(const SbomDocument& document);

}  // namespace plinth::audit
