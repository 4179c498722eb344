#include "audit/audit_report.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

namespace plinth::audit {
namespace {

const char* SarifLevel(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "note";
}

// Characters URIs do not allow are percent-encoded; the path stays relative.
std::string ToUri(const std::string& path) {
  std::string out;
  const std::string safe = "-._~/:@!$&'()*+,;=";
  for (unsigned char c : path) {
    if (std::isalnum(c) || safe.find(static_cast<char>(c)) != std::string::npos) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string Plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string HumanBytes(uint64_t n) {
  char buf[64];
  if (n >= 1000 * 1000)
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / 1e6);
  else if (n >= 1000)
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(n) / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(n));
  return buf;
}

std::optional<AuditFormat> ParseAuditFormat(std::string_view name) {
  if (name == "text") return AuditFormat::kText;
  if (name == "json") return AuditFormat::kJson;
  if (name == "sarif") return AuditFormat::kSarif;
  return std::nullopt;
}

std::string FormatAuditText(const std::vector<AuditResult>& results) {
  std::string out;
  for (const AuditResult& r : results) {
    size_t counts[3] = {0, 0, 0};
    for (const AuditFinding& f : r.findings) {
      ++counts[static_cast<int>(f.severity)];
      out += f.image + (f.path.empty() ? "" : ":/" + f.path) + ": " + SeverityName(f.severity) +
             " [" + f.code + "] " + f.message;
      if (!f.hint.empty()) out += " (hint: " + f.hint + ")";
      out += "\n";
    }
    out += r.image + " (" + r.platform + "): " + Plural(r.files, "path") + ", " +
           HumanBytes(r.figures.file_bytes) + " in " + Plural(r.figures.layers.size(), "layer") +
           ", " + HumanBytes(static_cast<uint64_t>(r.compressed_size)) + " compressed, " +
           HumanBytes(r.figures.wasted_bytes) + " wasted: " + Plural(counts[0], "error") + ", " +
           Plural(counts[1], "warning") + ", " + Plural(counts[2], "note");
    if (r.suppressed) out += " (" + std::to_string(r.suppressed) + " suppressed)";
    out += "\n";
  }
  return out;
}

std::string FormatAuditJson(const std::vector<AuditResult>& results) {
  nlohmann::json images = nlohmann::json::array();
  for (const AuditResult& r : results) {
    nlohmann::json findings = nlohmann::json::array();
    for (const AuditFinding& f : r.findings)
      findings.push_back({{"image", f.image},
                          {"path", f.path.empty() ? "" : "/" + f.path},
                          {"severity", SeverityName(f.severity)},
                          {"code", f.code},
                          {"slug", f.slug},
                          {"aliases", f.aliases},
                          {"message", f.message},
                          {"hint", f.hint}});
    images.push_back({{"image", r.image},
                      {"platform", r.platform},
                      {"files", r.files},
                      {"layers", r.figures.layers.size()},
                      {"file_bytes", r.figures.file_bytes},
                      {"wasted_bytes", r.figures.wasted_bytes},
                      {"compressed_bytes", r.compressed_size},
                      {"suppressed", r.suppressed},
                      {"findings", findings}});
  }
  return nlohmann::json{{"images", images}}.dump(2) + "\n";
}

std::string FormatAuditSarif(const std::vector<AuditResult>& results) {
  nlohmann::json rules = nlohmann::json::array();
  std::map<std::string, int> index;
  for (const AuditRule& r : AuditRules()) {
    index[std::string(r.code)] = static_cast<int>(rules.size());
    nlohmann::json rule = {
        {"id", r.code},
        {"name", r.slug},
        {"shortDescription", {{"text", r.summary}}},
        {"help",
         {{"text",
           std::string(r.summary) + (r.hint.empty() ? "" : " Fix: " + std::string(r.hint))}}},
        {"defaultConfiguration", {{"level", SarifLevel(r.severity)}}},
        {"properties", {{"tags", {"image-audit"}}}},
    };
    if (!r.aliases.empty()) {
      nlohmann::json ids = nlohmann::json::array();
      for (auto a : r.aliases) ids.push_back(a);
      rule["deprecatedIds"] = ids;
    }
    rules.push_back(rule);
  }
  nlohmann::json out = nlohmann::json::array();
  for (const AuditResult& r : results) {
    for (const AuditFinding& f : r.findings) {
      nlohmann::json location = {
          {"logicalLocations", {{{"fullyQualifiedName", f.image}, {"kind", "module"}}}}};
      if (!f.path.empty())
        location["physicalLocation"] = {{"artifactLocation", {{"uri", ToUri(f.path)}}}};
      nlohmann::json result = {
          {"ruleId", f.code},
          {"level", SarifLevel(f.severity)},
          {"message",
           {{"text",
             f.image + ": " + f.message + (f.hint.empty() ? "" : " (hint: " + f.hint + ")")}}},
          {"locations", {location}},
      };
      if (auto it = index.find(f.code); it != index.end()) result["ruleIndex"] = it->second;
      out.push_back(result);
    }
  }
  nlohmann::json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver", {{"name", "plinth"}, {"version", PLINTH_VERSION}, {"rules", rules}}}}},
         {"results", out}}}},
  };
  return sarif.dump(2) + "\n";
}

std::string FormatAudit(AuditFormat format, const std::vector<AuditResult>& results) {
  switch (format) {
    case AuditFormat::kJson:
      return FormatAuditJson(results);
    case AuditFormat::kSarif:
      return FormatAuditSarif(results);
    default:
      return FormatAuditText(results);
  }
}

}  // namespace plinth::audit
