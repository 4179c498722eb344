// VulnSeverity of a vulnerability finding, and where it comes from. plinth ranks findings on five
// levels, unknown < low < medium < high < critical (unknown ranks lowest, as grype ranks it:
// `--fail-on low` does not fail on an advisory nobody has rated). The level of an advisory is,
// in this order of preference (docs/vulnerabilities.md):
//   1. the base score of a CVSS v3.0/v3.1 vector in `severity[]` (computed here with the
//      formula of the CVSS 3.1 specification): 9.0+ critical, 7.0+ high, 4.0+ medium, else low
//      (a score of 0.0, "none" in CVSS, is low);
//   2. `database_specific.severity` (GHSA's LOW / MODERATE / HIGH / CRITICAL, MEDIUM too);
//   3. `ecosystem_specific.urgency` (Debian's security tracker: unimportant and low are low,
//      medium, high; a trailing `*` or `**`, "assumed", is ignored);
//   4. otherwise unknown ("not yet assigned", "end-of-life", CVSS v2/v4 vectors only).
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace plinth::audit {

enum class VulnSeverity { kUnknown = 0, kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };

// "unknown", "low", "medium", "high", "critical" (any case; "moderate" is medium). For
// `--fail-on`; anything else is an error listing the accepted names.
Result<VulnSeverity> ParseVulnSeverity(std::string_view name);
// The lower-case name ParseVulnSeverity reads back.
std::string_view VulnSeverityName(VulnSeverity severity);

// The CVSS 3.x base score (0.0 to 10.0) of a vector such as
// "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" (9.8). Temporal and environmental metrics may
// follow and are ignored; each base metric must appear once with a known value.
Result<double> Cvss3BaseScore(std::string_view vector);
VulnSeverity VulnSeverityFromCvssScore(double score);

// Debian's urgency ("medium", "low*", "unimportant", "not yet assigned") or GHSA's database
// severity ("MODERATE"); unknown for anything else.
VulnSeverity VulnSeverityFromLabel(std::string_view label);

}  // namespace plinth::audit
