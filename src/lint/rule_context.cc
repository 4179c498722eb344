#include "lint/rule_context.h"

#include "lint/rule.h"

namespace plinth::lint {

void RuleContext::Report(const std::string& code, const Location& where, std::string message,
                         std::string hint) {
  const Rule* rule = FindRule(code);
  Finding f;
  f.location = where;
  if (f.location.file.empty()) f.location.file = view_.file;
  f.severity = rule ? rule->severity : Severity::kError;
  f.code = code;
  if (rule) f.aliases = rule->Aliases();
  f.message = std::move(message);
  f.hint = std::move(hint);
  findings_.push_back(std::move(f));
}

}  // namespace plinth::lint
