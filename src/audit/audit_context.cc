#include "audit/audit_context.h"

#include <algorithm>

namespace plinth::audit {

void AuditContext::Report(std::string_view code, std::string path, std::string message) {
  Report(code, AuditRuleFor(code).severity, std::move(path), std::move(message));
}

void AuditContext::Report(std::string_view code, Severity severity, std::string path,
                          std::string message) {
  const AuditRule& rule = AuditRuleFor(code);
  for (const AuditSuppression& s : policy_.ignore) {
    if (FindAuditRule(s.code) == &rule) {
      ++suppressed_;
      return;
    }
  }
  if (++per_rule_[std::string(code)] > kMaxFindingsPerRule) return;
  AuditFinding f{.image = image_name_,
                 .path = std::move(path),
                 .code = std::string(rule.code),
                 .slug = std::string(rule.slug),
                 .severity = severity,
                 .message = std::move(message),
                 .hint = std::string(rule.hint)};
  for (std::string_view a : rule.aliases) f.aliases.emplace_back(a);
  findings_.push_back(std::move(f));
}

std::vector<AuditFinding> AuditContext::Finish() {
  std::sort(findings_.begin(), findings_.end(), FindingLess);
  for (const auto& [code, count] : per_rule_) {
    if (count <= kMaxFindingsPerRule) continue;
    const AuditRule& rule = AuditRuleFor(code);
    Severity worst = Severity::kNote;
    for (const auto& f : findings_)
      if (f.code == code && AtLeast(f.severity, worst)) worst = f.severity;
    AuditFinding more{.image = image_name_,
                      .code = code,
                      .slug = std::string(rule.slug),
                      .severity = worst,
                      .message = "… and " + std::to_string(count - kMaxFindingsPerRule) +
                                 " more like the " + std::to_string(kMaxFindingsPerRule) + " above",
                      .hint = std::string(rule.hint)};
    for (std::string_view a : rule.aliases) more.aliases.emplace_back(a);
    findings_.push_back(std::move(more));
  }
  return std::move(findings_);
}

}  // namespace plinth::audit
