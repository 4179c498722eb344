// SpdxWriter: an SbomDocument as SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/), the
// document tests/audit validates against the official schema. The image is the described
// package (purpose CONTAINER, its manifest digest as version and purl); each Debian package is
// CONTAINed by it with its purl, version, source package and declared licences; files no
// package owns are SPDX files CONTAINed by the image, with their SHA-256. Licences that are not
// on SPDX's list are declared as LicenseRef-… with an extracted-licensing entry. The output
// depends only on the document (sorted; the namespace derives from the manifest digest).
#pragma once

#include <string>

#include "audit/sbom_document.h"

namespace plinth::audit {

inline constexpr const char* kSpdxMediaType = "application/spdx+json";

std::string WriteSpdxJson(const SbomDocument& document);

}  // namespace plinth::audit
