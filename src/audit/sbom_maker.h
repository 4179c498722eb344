// SbomMaker: the SbomDocument of one platform's image in the store: its packages and unowned
// files (audit/dpkg_database.h), its manifest digest as the subject, its platform, and its
// config's creation time (or SOURCE_DATE_EPOCH) as the document's.
#pragma once

#include <string>

#include "audit/sbom_document.h"
#include "oci/descriptor.h"
#include "oci/image.h"
#include "oci/layout_store.h"
#include "util/result.h"

namespace plinth::audit {

enum class SbomFormat { kSpdxJson, kCycloneDxJson };

// "spdx-json" or "cyclonedx-json"; an error naming the choices otherwise.
Result<SbomFormat> ParseSbomFormat(const std::string& text);
std::string SbomText(const SbomDocument& document, SbomFormat format);
// The artifactType / media type of a format's documents.
std::string SbomMediaType(SbomFormat format);

// `manifest` is the image manifest's descriptor, `name` how the image is called.
Result<SbomDocument> MakeSbom(const oci::LayoutStore& store, const oci::Image& image,
                              const oci::Descriptor& manifest, const std::string& name);

}  // namespace plinth::audit
