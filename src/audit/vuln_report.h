// How vulnerability findings are printed and when they fail a run.
//
// Text, one line per finding, then a count by severity:
//
//   high DSA-5532-1 libssl3 3.0.11-1~deb12u1 -> 3.0.11-1~deb12u2 (source openssl; CVE-2023-5678)
//   critical DEBIAN-CVE-2024-1 zlib1g 1:1.2.13.dfsg-1 -> none: zlib: heap overflow in inflate
//   2 vulnerabilities: 1 critical, 1 high
//
// (": SUMMARY" when the advisory has one; "-> none" when no fixed version is known). JSON lines:
// one object per finding, {advisory, aliases, package, architecture, source, installed_version,
// fixed_version (null when none), ecosystem, severity, severity_origin, summary}. Advisory text is
// untrusted: control characters are replaced in text output (no terminal escapes reach the screen)
// and invalid UTF-8 is replaced in JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "audit/vuln_matcher.h"
#include "audit/vuln_severity.h"

namespace plinth::audit {

std::string FormatVulnText(const std::vector<VulnFinding>& findings);
std::string FormatVulnJsonLines(const std::vector<VulnFinding>& findings);
// One finding as the JSON object above (for a caller nesting them in a larger document).
nlohmann::json VulnFindingJson(const VulnFinding& finding);

// Whether any finding is at or above `fail_on` (`--fail-on high`: high and critical fail;
// `--fail-on unknown`: every finding fails).
bool ReachesThreshold(const std::vector<VulnFinding>& findings, VulnSeverity fail_on);

}  // namespace plinth::audit
