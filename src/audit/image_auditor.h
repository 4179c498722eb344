// AuditImage: the image audit of one platform image in a LayoutStore: one streaming pass over
// its layers (image_facts.h), then every rule (audit_rules.h) under the image's policy.
// The result lists the findings (sorted; suppressed ones counted, not listed) and the figures
// the size rules used. An image whose bytes are not what its manifest and config name is an
// error (kIntegrity), not a finding.
#pragma once

#include <string>
#include <vector>

#include "audit/audit_finding.h"
#include "audit/merged_filesystem.h"
#include "oci/descriptor.h"
#include "oci/layout_store.h"

namespace plinth::audit {

struct AuditResult {
  std::string image;
  std::string platform;  // "linux/arm64"
  oci::Descriptor manifest;  // the platform image's manifest, in the store the audit read
  std::vector<AuditFinding> findings;
  size_t suppressed = 0;
  MergedFigures figures;
  size_t files = 0;
  int64_t compressed_size = 0;  // layers + config + manifest
};

// `manifest` names one platform's image manifest; `name` is how findings name the image.
Result<AuditResult> AuditImage(const oci::LayoutStore& store, const oci::Descriptor& manifest,
                               const std::string& name, const AuditPolicy& policy);

}  // namespace plinth::audit
