// Matching an image's Debian packages against an OSV database (osv_database.h).
//
// A package is looked up under its source package name (Debian's OSV feed names sources) and,
// when that differs, under its own binary name. Under the source name the version compared is
// the source's (ImagePackage::source_version, else the package's own version: a binNMU
// "1.2-3+b1" of source "1.2-3" is compared as 1.2-3); under the binary name, the package's own.
// An advisory entry applies when its ecosystem is the image's ("Debian:12") or the bare
// "Debian", and the version is in one of its ECOSYSTEM ranges or listed in its `versions`,
// compared with dpkg's ordering (debian/dpkg_version.h).
//
// Findings are per installed binary package: an advisory about source `openssl` yields one
// finding for libssl3 and one for openssl when both are installed (each names the source), so
// a finding always names something that can be upgraded or removed. An advisory is reported
// once per package (and architecture) however many of its entries (or copies) match.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/image_package.h"
#include "audit/osv_database.h"
#include "audit/vuln_severity.h"
#include "util/result.h"

namespace plinth::audit {

struct VulnFinding {
  std::string advisory;              // "DSA-5532-1"
  std::vector<std::string> aliases;  // "CVE-2023-5678"
  std::string package;               // installed binary package ("libssl3")
  std::string architecture;          // "amd64"
  std::string source;                // its source package ("openssl")
  std::string installed_version;     // the version compared (the source's when matched so)
  std::string fixed_version;         // first fixed version above it; "" when none is known
  std::string ecosystem;             // of the matching entry ("Debian:12")
  VulnSeverity severity = VulnSeverity::kUnknown;
  std::string severity_origin;  // "CVSS:3.1 9.8", "urgency high", ""
  std::string summary;
};

// Findings sorted by severity (highest first), then package, then advisory id. An installed
// version that is not a Debian version is an error naming the package and its record.
Result<std::vector<VulnFinding>> MatchVulnerabilities(const std::vector<ImagePackage>& packages,
                                                      const OsvDatabase& db,
                                                      std::string_view ecosystem);

// The OSV ecosystem of a Debian image from its /etc/os-release (or /usr/lib/os-release) text:
// ID=debian and VERSION_ID="12" give "Debian:12". Not Debian, or no VERSION_ID (testing, sid):
// an error saying so (kNotFound), for the caller to report that nothing can be matched.
Result<std::string> DebianEcosystemFromOsRelease(std::string_view os_release);
// The same from the distro an image's dpkg database names ("debian-12", DistroFromOsRelease in
// audit/sbom_document.h).
Result<std::string> DebianEcosystemOfDistro(std::string_view distro);

}  // namespace plinth::audit
