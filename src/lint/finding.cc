#include "lint/finding.h"

#include <tuple>

namespace plinth::lint {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
    case Severity::kStyle: return "style";
    case Severity::kIgnore: return "ignore";
  }
  return "error";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (Severity s : {Severity::kError, Severity::kWarning, Severity::kInfo, Severity::kStyle,
                     Severity::kIgnore}) {
    if (name == SeverityName(s)) return s;
  }
  if (name == "none") return Severity::kIgnore;
  return std::nullopt;
}

bool FindingLess(const Finding& a, const Finding& b) {
  return std::tie(a.location.file, a.location.line, a.location.column, a.code) <
         std::tie(b.location.file, b.location.line, b.location.column, b.code);
}

}  // namespace plinth::lint
