// ImageVulns: `plinth audit --vulns DB` for one audited image: its Debian packages (read from
// its dpkg records, audit/dpkg_database.h) matched against an OSV database
// (audit/vuln_matcher.h), each match also given as an audit finding so that text, JSON and
// SARIF print vulnerabilities beside the image's other findings. The finding's code is the
// advisory's id; its severity is the audit level of the advisory's: critical and high are
// errors, medium a warning, low and unknown notes (docs/vulnerabilities.md).
#pragma once

#include <string>
#include <vector>

#include "audit/audit_finding.h"
#include "audit/osv_database.h"
#include "audit/vuln_matcher.h"
#include "oci/layout_store.h"

namespace plinth::audit {

struct ImageVulns {
  std::string ecosystem;  // "Debian:12"; empty: not a Debian image, nothing matched
  size_t packages = 0;
  std::vector<VulnFinding> matches;
  std::vector<AuditFinding> findings;  // one per match, in the same order
};

Severity AuditSeverityOf(VulnSeverity severity);

// `manifest` is one platform image in `store`; `name` names it in findings and errors.
Result<ImageVulns> MatchImageVulns(const oci::LayoutStore& store, const oci::Descriptor& manifest,
                                   const std::string& name, const OsvDatabase& db);

}  // namespace plinth::audit
