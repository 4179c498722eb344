#include "audit/vuln_report.h"

#include <array>

#include "audit/vuln_text.h"

namespace plinth::audit {

std::string FormatVulnText(const std::vector<VulnFinding>& findings) {
  std::string out;
  std::array<size_t, 5> counts{};
  for (const VulnFinding& f : findings) {
    ++counts[static_cast<size_t>(f.severity)];
    out += std::string(VulnSeverityName(f.severity)) + " " + PrintableText(f.advisory, 80) + " " +
           PrintableText(f.package, 80) + " " + PrintableText(f.installed_version, 80) + " -> " +
           (f.fixed_version.empty() ? "none" : PrintableText(f.fixed_version, 80));
    std::string notes;
    if (f.source != f.package) notes = "source " + PrintableText(f.source, 80);
    for (size_t i = 0; i < f.aliases.size() && i < 5; ++i)
      notes += (notes.empty() ? "" : i == 0 ? "; " : ", ") + PrintableText(f.aliases[i], 40);
    if (!notes.empty()) out += " (" + notes + ")";
    if (!f.summary.empty()) out += ": " + PrintableText(f.summary);
    out += "\n";
  }
  out += std::to_string(findings.size()) +
         (findings.size() == 1 ? " vulnerability" : " vulnerabilities");
  std::string by_level;
  for (int s = 4; s >= 0; --s) {
    if (counts[s] == 0) continue;
    by_level += (by_level.empty() ? "" : ", ") + std::to_string(counts[s]) + " " +
                std::string(VulnSeverityName(static_cast<VulnSeverity>(s)));
  }
  if (!by_level.empty()) out += ": " + by_level;
  return out + "\n";
}

nlohmann::json VulnFindingJson(const VulnFinding& f) {
  nlohmann::json j;
  j["advisory"] = f.advisory;
  j["aliases"] = f.aliases;
  j["package"] = f.package;
  j["architecture"] = f.architecture;
  j["source"] = f.source;
  j["installed_version"] = f.installed_version;
  j["fixed_version"] =
      f.fixed_version.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.fixed_version);
  j["ecosystem"] = f.ecosystem;
  j["severity"] = VulnSeverityName(f.severity);
  j["severity_origin"] = f.severity_origin;
  j["summary"] = f.summary;
  return j;
}

std::string FormatVulnJsonLines(const std::vector<VulnFinding>& findings) {
  std::string out;
  for (const VulnFinding& f : findings)
    out += VulnFindingJson(f).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  return out;
}

bool ReachesThreshold(const std::vector<VulnFinding>& findings, VulnSeverity fail_on) {
  for (const VulnFinding& f : findings)
    if (f.severity >= fail_on) return true;
  return false;
}

}  // namespace plinth::audit
