#include "lint/report_format.h"

#include <nlohmann/json.hpp>

#include <map>

#include "lint/rule.h"
#include "util/sha256.h"

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

// hadolint's code for the finding if the rule has one (DL3006), else plinth's (or SC…).
std::string PublicCode(const Finding& f) {
  for (const auto& a : f.aliases)
    if (a.size() == 6 && a.starts_with("DL")) return a;
  return f.code;
}

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      default:
        // XML 1.0 allows no other control characters, not even escaped.
        if (c >= 0x20 || c == '\r') out += static_cast<char>(c);
        else out += "?";
    }
  }
  return out;
}

const char* CodeclimateSeverity(Severity s) {
  switch (s) {
    case Severity::kError: return "blocker";
    case Severity::kWarning: return "major";
    case Severity::kStyle: return "minor";
    default: return "info";
  }
}

constexpr std::pair<const char*, ReportFormat> kFormats[] = {
    {"text", ReportFormat::kText},
    {"json", ReportFormat::kJson},
    {"sarif", ReportFormat::kSarif},
    {"checkstyle", ReportFormat::kCheckstyle},
    {"gitlab_codeclimate", ReportFormat::kGitlabCodeclimate},
    {"codeclimate", ReportFormat::kCodeclimate},
    {"gnu", ReportFormat::kGnu},
    {"tty", ReportFormat::kTty},
};

}  // namespace

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  for (const auto& [n, f] : kFormats)
    if (name == n) return f;
  return std::nullopt;
}

std::string ReportFormatNames() {
  std::string out;
  for (const auto& [n, f] : kFormats) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::string FormatCheckstyle(const std::vector<Finding>& findings) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  std::map<std::string, std::vector<const Finding*>> by_file;
  std::vector<std::string> order;
  for (const auto& f : findings) {
    if (!by_file.count(f.location.file)) order.push_back(f.location.file);
    by_file[f.location.file].push_back(&f);
  }
  for (const auto& file : order) {
    out += "  <file name=\"" + XmlEscape(file) + "\">\n";
    for (const Finding* f : by_file[file]) {
      out += "    <error line=\"" + std::to_string(f->location.line) + "\" column=\"" +
             std::to_string(f->location.column) + "\" severity=\"" + SeverityName(f->severity) +
             "\" message=\"" + XmlEscape(f->message) + "\" source=\"" + XmlEscape(PublicCode(*f)) + "\"/>\n";
    }
    out += "  </file>\n";
  }
  return out + "</checkstyle>\n";
}

namespace {

nlohmann::json CodeclimateIssue(const Finding& f) {
  return {{"type", "issue"},
          {"check_name", PublicCode(f)},
          {"description", f.message},
          {"categories", {"Bug Risk"}},
          {"severity", CodeclimateSeverity(f.severity)},
          {"location", {{"path", f.location.file},
                        {"lines", {{"begin", f.location.line}, {"end", f.location.line}}}}}};
}

}  // namespace

std::string FormatGitlabCodeclimate(const std::vector<Finding>& findings) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& f : findings) {
    nlohmann::json issue = CodeclimateIssue(f);
    std::string identity = f.location.file + "\n" + std::to_string(f.location.line) + "\n" +
                           std::to_string(f.location.column) + "\n" + PublicCode(f) + "\n" + f.message;
    issue["fingerprint"] = Sha256::HexOf(identity);
    array.push_back(std::move(issue));
  }
  return array.dump(2) + "\n";
}

std::string FormatCodeclimate(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += CodeclimateIssue(f).dump();
    out += '\0';
  }
  return out;
}

std::string FormatGnu(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += "plinth:" + f.location.file + ":" + std::to_string(f.location.line) + ":" +
           std::to_string(f.location.column) + ": " + PublicCode(f) + " " + SeverityName(f.severity) + ": " +
           f.message + "\n";
  }
  return out;
}

std::string FormatTty(const std::vector<Finding>& findings, bool colour) {
  auto paint = [&](const char* code, const std::string& text) {
    return colour ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
  };
  std::string out;
  for (const auto& f : findings) {
    const char* c = f.severity == Severity::kError     ? "1;31"
                    : f.severity == Severity::kWarning ? "1;33"
                    : f.severity == Severity::kInfo    ? "1;32"
                                                       : "1;36";
    out += f.location.ToString() + " " + paint("1", PublicCode(f)) + " " + paint(c, SeverityName(f.severity)) +
           ": " + f.message + "\n";
    if (!f.hint.empty()) out += "  " + paint("2", "hint: " + f.hint) + "\n";
  }
  return out;
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

std::string FormatReport(ReportFormat format, const std::vector<Finding>& findings,
                         const FormatOptions& options) {
  switch (format) {
    case ReportFormat::kJson: return FormatJson(findings);
    case ReportFormat::kSarif: return FormatSarif(findings);
    case ReportFormat::kCheckstyle: return FormatCheckstyle(findings);
    case ReportFormat::kGitlabCodeclimate: return FormatGitlabCodeclimate(findings);
    case ReportFormat::kCodeclimate: return FormatCodeclimate(findings);
    case ReportFormat::kGnu: return FormatGnu(findings);
    case ReportFormat::kTty: return FormatTty(findings, options.colour);
    default: return FormatText(findings);
  }
}

}  // namespace plinth::lint
