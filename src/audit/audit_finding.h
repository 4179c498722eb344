// AuditFinding: one thing the audit found in an image: the rule (code, slug, aliases), its
// severity under the image's policy, the image it is about, the path inside the image (empty
// for findings about the config or the whole image), a message naming what and where, and a
// hint. AuditPolicy: which rules apply to an image and how strictly, from its tier in
// plinth.yaml, and the findings its target suppresses, each with its reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_rules.h"
#include "util/error.h"
#include "util/result.h"

namespace plinth::audit {

struct AuditFinding {
  std::string image;  // the reference the audit was asked about ("pickme/lucid-redis:latest-arm64")
  std::string path;   // inside the image, no leading "/"; empty: the config or the whole image
  std::string code;
  std::string slug;
  Severity severity = Severity::kError;
  std::vector<std::string> aliases;
  std::string message;
  std::string hint;
};

// By image, path, then code: the order every output uses.
bool FindingLess(const AuditFinding& a, const AuditFinding& b);

struct AuditSuppression {
  std::string code;    // as written: a code, slug or alias
  std::string reason;  // required
  Location location;   // where it is in plinth.yaml
};

enum class UserPolicy {
  kAny,          // the tier says `user: any`: root is allowed
  kNonRoot,      // the default: a non-zero uid
  kSeedNonRoot,  // the tier says `user: nonroot`: uid 65532, the seed's
};

struct AuditPolicy {
  UserPolicy user = UserPolicy::kNonRoot;
  bool forbid_shell = true;
  bool forbid_package_manager = true;
  std::optional<int64_t> size_budget;  // bytes, compressed
  std::string tier;                    // its name, for messages ("" for a base or an image)
  int max_layers = 40;
  uint64_t wasted_bytes = 10'000'000;  // above: a warning; below (and > 0): a note
  std::vector<AuditSuppression> ignore;
};

// Checks that every suppression names a known rule and gives a reason; the error is at the
// suppression's location.
Status ValidateSuppressions(const std::vector<AuditSuppression>& ignore);

}  // namespace plinth::audit
