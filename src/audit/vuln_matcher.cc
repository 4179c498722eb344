#include "audit/vuln_matcher.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "audit/sbom_document.h"
#include "audit/vuln_text.h"

namespace plinth::audit {
Result<std::vector<VulnFinding>> MatchVulnerabilities(const std::vector<ImagePackage>& packages,
                                                      const OsvDatabase& db,
                                                      std::string_view ecosystem) {
  std::vector<VulnFinding> findings;
  // (advisory id, package, architecture) already reported: by id, not by file, so that an
  // advisory found twice in the database (a folder holding two copies of a feed) counts once.
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const ImagePackage& p : packages) {
    const std::string& source = p.source.empty() ? p.name : p.source;
    const std::string& source_text = p.source_version.empty() ? p.version : p.source_version;
    auto version_of = [&](const std::string& text) -> Result<debian::DpkgVersion> {
      auto v = debian::DpkgVersion::Parse(text);
      if (!v)
        return InvalidInput("package " + PrintableText(p.name, 80) + ": version '" +
                                PrintableText(text, 80) + "' is not a Debian version",
                            Location{p.record_path});
      return *v;
    };
    struct Lookup {
      const std::string* name;
      const std::string* version_text;
    };
    std::vector<Lookup> lookups = {{&source, &source_text}};
    if (p.name != source) lookups.push_back({&p.name, &p.version});
    for (const Lookup& lookup : lookups) {
      std::span<const size_t> candidates = db.ForPackage(*lookup.name);
      if (candidates.empty()) continue;
      PLINTH_TRY(debian::DpkgVersion version, version_of(*lookup.version_text));
      for (size_t index : candidates) {
        const OsvAdvisory& advisory = db.advisories()[index];
        for (const OsvAffected& entry : advisory.affected) {
          if (entry.name != *lookup.name || !EcosystemApplies(entry.ecosystem, ecosystem)) continue;
          if (!IsAffected(entry, version)) continue;
          if (!seen.emplace(advisory.id, p.name, p.architecture).second) break;
          VulnFinding f;
          f.advisory = advisory.id;
          f.aliases = advisory.aliases;
          f.package = p.name;
          f.architecture = p.architecture;
          f.source = source;
          f.installed_version = version.str();
          if (auto fixed = FixedVersion(entry, version)) f.fixed_version = fixed->str();
          f.ecosystem = entry.ecosystem;
          f.severity = entry.severity;
          f.severity_origin = entry.severity_origin;
          f.summary = advisory.summary;
          findings.push_back(std::move(f));
          break;
        }
      }
    }
  }
  std::sort(findings.begin(), findings.end(), [](const VulnFinding& a, const VulnFinding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return std::tie(a.package, a.architecture, a.advisory) <
           std::tie(b.package, b.architecture, b.advisory);
  });
  return findings;
}

Result<std::string> DebianEcosystemOfDistro(std::string_view distro) {
  const std::string_view prefix = "debian-";
  if (!distro.starts_with("debian"))
    return NotFound("os-release: not a Debian image (" + PrintableText(distro, 40) + ")");
  std::string_view version = distro.starts_with(prefix) ? distro.substr(prefix.size()) : "";
  if (version.empty() || version.size() > 8 ||
      !std::all_of(version.begin(), version.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return NotFound("os-release: Debian without a numbered release (" +
                    PrintableText(distro, 40) + "), as testing and sid are");
  return "Debian:" + std::string(version);
}

Result<std::string> DebianEcosystemFromOsRelease(std::string_view os_release) {
  return DebianEcosystemOfDistro(DistroFromOsRelease(os_release));
}

}  // namespace plinth::audit
