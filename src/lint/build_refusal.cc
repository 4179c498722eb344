#include "lint/build_refusal.h"

namespace plinth::lint {

std::map<std::string, std::string> BuildRefusals(const std::map<std::string, LintResult>& by_target) {
  std::map<std::string, std::string> refusals;
  for (const auto& [target, result] : by_target) {
    const Finding* first = nullptr;
    int errors = 0;
    for (const auto& f : result.findings) {
      if (f.severity != Severity::kError) continue;
      if (!first) first = &f;
      ++errors;
    }
    if (!first) continue;
    std::string why = "lint " + first->code + " at " + first->location.ToString() + ": " + first->message;
    if (errors > 1)
      why += " (and " + std::to_string(errors - 1) + " more error finding" + (errors > 2 ? "s" : "") +
             "; `plinth lint` lists them)";
    refusals[target] = why;
  }
  return refusals;
}

}  // namespace plinth::lint
