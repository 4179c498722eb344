#include "lint/report_format.h"

#include <nlohmann/json.hpp>

#include <map>

#include "lint/rule.h"

namespace plinth::lint {
namespace {

const char* SarifLevel(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kIgnore: return "none";
    default: return "note";
  }
}

// A relative path stays relative (GitHub resolves it against the checkout); an absolute one
// becomes a file URI. Characters URIs do not allow are percent-encoded.
std::string ToUri(const std::string& path) {
  std::string out = path.starts_with("/") ? "file://" : "";
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
  if (out.starts_with("./")) out = out.substr(2);
  return out;
}

}  // namespace

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "text") return ReportFormat::kText;
  if (name == "json") return ReportFormat::kJson;
  if (name == "sarif") return ReportFormat::kSarif;
  return std::nullopt;
}

std::string FormatText(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.location.ToString() + ": " + SeverityName(f.severity) + " [" + f.code + "] " + f.message;
    if (!f.hint.empty()) out += " (hint: " + f.hint + ")";
    out += "\n";
  }
  return out;
}

std::string FormatJson(const std::vector<Finding>& findings) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& f : findings) {
    array.push_back({{"file", f.location.file},
                     {"line", f.location.line},
                     {"column", f.location.column},
                     {"severity", SeverityName(f.severity)},
                     {"code", f.code},
                     {"aliases", f.aliases},
                     {"message", f.message},
                     {"hint", f.hint}});
  }
  return array.dump(2) + "\n";
}

std::string FormatSarif(const std::vector<Finding>& findings) {
  nlohmann::json rules = nlohmann::json::array();
  std::map<std::string, int> index;
  for (const auto& r : Rules()) {
    index[r.code] = static_cast<int>(rules.size());
    nlohmann::json rule = {
        {"id", r.code},
        {"name", r.slug},
        {"shortDescription", {{"text", r.summary}}},
        {"fullDescription", {{"text", r.rationale}}},
        {"help", {{"text", ExplainRule(r)}}},
        {"defaultConfiguration", {{"level", SarifLevel(r.severity)}, {"enabled", r.severity != Severity::kIgnore}}},
        {"properties", {{"tags", r.scope == RuleScope::kFleet ? nlohmann::json{"hybrid-policy"}
                                                                : nlohmann::json{"dockerfile"}}}},
    };
    if (!r.hadolint.empty()) rule["deprecatedIds"] = {r.hadolint};
    rules.push_back(rule);
  }
  nlohmann::json results = nlohmann::json::array();
  for (const auto& f : findings) {
    nlohmann::json region = {{"startLine", std::max(1, f.location.line)}};
    if (f.location.column > 0) region["startColumn"] = f.location.column;
    nlohmann::json result = {
        {"ruleId", f.code},
        {"level", SarifLevel(f.severity)},
        {"message", {{"text", f.message + (f.hint.empty() ? "" : " (hint: " + f.hint + ")")}}},
        {"locations", {{{"physicalLocation", {{"artifactLocation", {{"uri", ToUri(f.location.file)}}},
                                              {"region", region}}}}}},
    };
    if (auto it = index.find(f.code); it != index.end()) result["ruleIndex"] = it->second;
    results.push_back(result);
  }
  nlohmann::json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool", {{"driver", {{"name", "plinth"},
                               {"version", PLINTH_VERSION},
                               {"rules", rules}}}}},
         {"results", results}}}},
  };
  return sarif.dump(2) + "\n";
}

std::string FormatReport(ReportFormat format, const std::vector<Finding>& findings) {
  switch (format) {
    case ReportFormat::kJson: return FormatJson(findings);
    case ReportFormat::kSarif: return FormatSarif(findings);
    default: return FormatText(findings);
  }
}

}  // namespace plinth::lint
