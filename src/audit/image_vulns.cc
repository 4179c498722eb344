#include "audit/image_vulns.h"

#include <map>

#include "audit/dpkg_database.h"
#include "audit/vuln_severity.h"
#include "oci/image.h"

namespace plinth::audit {

Severity AuditSeverityOf(VulnSeverity severity) {
  switch (severity) {
    case VulnSeverity::kCritical:
    case VulnSeverity::kHigh:
      return Severity::kError;
    case VulnSeverity::kMedium:
      return Severity::kWarning;
    case VulnSeverity::kLow:
    case VulnSeverity::kUnknown:
      break;
  }
  return Severity::kNote;
}

namespace {

AuditFinding FindingOf(const VulnFinding& v, const std::string& image,
                       const std::string& record_path) {
  AuditFinding f;
  f.image = image;
  f.path = record_path;
  f.code = v.advisory;
  f.slug = "vulnerable-package";
  f.severity = AuditSeverityOf(v.severity);
  f.aliases = v.aliases;
  std::string source = v.source.empty() || v.source == v.package ? "" : " (source " + v.source + ")";
  f.message = v.package + " " + v.installed_version + source + " is affected by " + v.advisory;
  if (!v.aliases.empty()) f.message += " (" + v.aliases.front() + ")";
  f.message += ", severity " + std::string(VulnSeverityName(v.severity));
  if (!v.severity_origin.empty()) f.message += " (" + v.severity_origin + ")";
  if (!v.summary.empty()) f.message += ": " + v.summary;
  f.hint = v.fixed_version.empty()
               ? "no fixed version is known for " + v.ecosystem
               : "fixed in " + v.fixed_version + ": rebuild the image on packages at least that new";
  return f;
}

}  // namespace

Result<ImageVulns> MatchImageVulns(const oci::LayoutStore& store, const oci::Descriptor& manifest,
                                   const std::string& name, const OsvDatabase& db) {
  PLINTH_TRY(oci::Image image, oci::ReadImage(store, manifest));
  PLINTH_TRY(DpkgDatabase packages, ReadDpkgDatabase(store, image, name));
  ImageVulns out;
  out.packages = packages.packages.size();
  auto ecosystem = DebianEcosystemOfDistro(packages.distro);
  if (!ecosystem) {
    if (ecosystem.error().kind() == ErrorKind::kNotFound) return out;  // nothing to match
    return ecosystem.error();
  }
  out.ecosystem = *ecosystem;
  PLINTH_TRY(out.matches, MatchVulnerabilities(packages.packages, db, out.ecosystem));
  std::map<std::pair<std::string, std::string>, std::string> records;
  for (const ImagePackage& p : packages.packages)
    records[{p.name, p.architecture}] = p.record_path;
  for (const VulnFinding& v : out.matches)
    out.findings.push_back(FindingOf(v, name, records[{v.package, v.architecture}]));
  return out;
}

}  // namespace plinth::audit
