#include "audit/vuln_severity.h"

#include <cmath>
#include <optional>

#include "audit/vuln_text.h"
#include "util/ascii.h"

namespace plinth::audit {
namespace {

// CVSS 3.1's Roundup: the smallest number with one decimal that is >= the input, computed on
// integers so that 4.000000001-style float noise does not round up.
double Roundup(double value) {
  long long scaled = std::llround(value * 100000.0);
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return static_cast<double>(scaled / 10000 + 1) / 10.0;
}

std::optional<double> Weight(char metric, char value, bool scope_changed) {
  switch (metric) {
    case 'V':  // AV
      switch (value) {
        case 'N':
          return 0.85;
        case 'A':
          return 0.62;
        case 'L':
          return 0.55;
        case 'P':
          return 0.2;
      }
      return std::nullopt;
    case 'X':  // AC
      switch (value) {
        case 'L':
          return 0.77;
        case 'H':
          return 0.44;
      }
      return std::nullopt;
    case 'R':  // PR
      switch (value) {
        case 'N':
          return 0.85;
        case 'L':
          return scope_changed ? 0.68 : 0.62;
        case 'H':
          return scope_changed ? 0.5 : 0.27;
      }
      return std::nullopt;
    case 'U':  // UI
      switch (value) {
        case 'N':
          return 0.85;
        case 'R':
          return 0.62;
      }
      return std::nullopt;
    case 'C':  // C, I, A
      switch (value) {
        case 'H':
          return 0.56;
        case 'L':
          return 0.22;
        case 'N':
          return 0.0;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

Result<VulnSeverity> ParseVulnSeverity(std::string_view name) {
  std::string lower = AsciiLower(name);
  if (lower == "unknown") return VulnSeverity::kUnknown;
  if (lower == "low") return VulnSeverity::kLow;
  if (lower == "medium" || lower == "moderate") return VulnSeverity::kMedium;
  if (lower == "high") return VulnSeverity::kHigh;
  if (lower == "critical") return VulnSeverity::kCritical;
  return InvalidInput("unknown severity '" + PrintableText(name, 40) +
                      "' (expected unknown, low, medium, high or critical)");
}

std::string_view VulnSeverityName(VulnSeverity severity) {
  switch (severity) {
    case VulnSeverity::kLow:
      return "low";
    case VulnSeverity::kMedium:
      return "medium";
    case VulnSeverity::kHigh:
      return "high";
    case VulnSeverity::kCritical:
      return "critical";
    case VulnSeverity::kUnknown:
      break;
  }
  return "unknown";
}

Result<double> Cvss3BaseScore(std::string_view vector) {
  auto bad = [&](const std::string& why) {
    return InvalidInput("CVSS vector '" + PrintableText(vector, 120) + "': " + why);
  };
  if (!vector.starts_with("CVSS:3.0/") && !vector.starts_with("CVSS:3.1/"))
    return bad("not a CVSS 3.0 or 3.1 vector");
  std::string_view rest = vector.substr(9);
  // Base metrics by name: AV AC PR UI S C I A.
  static constexpr std::string_view kNames[] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
  char values[8] = {};
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (slash != std::string_view::npos && rest.empty()) return bad("ends with '/'");
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 2 != part.size())
      return bad("malformed metric '" + PrintableText(part, 20) + "'");
    std::string_view key = part.substr(0, colon);
    for (size_t i = 0; i < 8; ++i) {
      if (key != kNames[i]) continue;
      if (values[i] != 0) return bad("metric " + std::string(key) + " appears twice");
      values[i] = part[colon + 1];
    }
  }
  for (size_t i = 0; i < 8; ++i)
    if (values[i] == 0) return bad("base metric " + std::string(kNames[i]) + " is missing");
  if (values[4] != 'U' && values[4] != 'C') return bad("S must be U or C");
  bool changed = values[4] == 'C';
  static constexpr char kWeightKeys[] = {'V', 'X', 'R', 'U', 0, 'C', 'C', 'C'};
  double w[8] = {};
  for (size_t i = 0; i < 8; ++i) {
    if (i == 4) continue;
    auto weight = Weight(kWeightKeys[i], values[i], changed);
    if (!weight)
      return bad("unknown value '" + PrintableText(std::string_view(&values[i], 1)) + "' of " +
                 std::string(kNames[i]));
    w[i] = *weight;
  }
  double iss = 1.0 - (1.0 - w[5]) * (1.0 - w[6]) * (1.0 - w[7]);
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = 8.22 * w[0] * w[1] * w[2] * w[3];
  if (impact <= 0) return 0.0;
  double sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
  return Roundup(std::min(sum, 10.0));
}

VulnSeverity VulnSeverityFromCvssScore(double score) {
  if (score >= 9.0) return VulnSeverity::kCritical;
  if (score >= 7.0) return VulnSeverity::kHigh;
  if (score >= 4.0) return VulnSeverity::kMedium;
  return VulnSeverity::kLow;
}

VulnSeverity VulnSeverityFromLabel(std::string_view label) {
  while (label.ends_with('*')) label.remove_suffix(1);
  std::string lower = AsciiLower(label);
  if (lower == "unimportant" || lower == "low" || lower == "negligible") return VulnSeverity::kLow;
  if (lower == "medium" || lower == "moderate") return VulnSeverity::kMedium;
  if (lower == "high" || lower == "important") return VulnSeverity::kHigh;
  if (lower == "critical") return VulnSeverity::kCritical;
  return VulnSeverity::kUnknown;
}

}  // namespace plinth::audit
