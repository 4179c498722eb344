#include "audit/audit_finding.h"

#include <tuple>

namespace plinth::audit {

bool FindingLess(const AuditFinding& a, const AuditFinding& b) {
  return std::tie(a.image, a.path, a.code, a.message) <
         std::tie(b.image, b.path, b.code, b.message);
}

Status ValidateSuppressions(const std::vector<AuditSuppression>& ignore) {
  for (const AuditSuppression& s : ignore) {
    if (!FindAuditRule(s.code))
      return InvalidInput("audit ignore: no audit rule is called \"" + s.code +
                              "\" (codes PA101…, slugs and dockle codes are listed in "
                              "docs/audit.md)",
                          s.location);
    if (s.reason.empty())
      return InvalidInput("audit ignore " + s.code + ": a reason is required", s.location);
  }
  return Ok{};
}

}  // namespace plinth::audit
