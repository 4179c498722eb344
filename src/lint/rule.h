// Rule: what a lint rule is, as data: its code, the names it also answers to (hadolint's DL
// code and a slug), its default severity, and the text `plinth lint --explain` prints. The
// checks themselves live in hybrid_rules.cc (the fleet's policy) and general_rules.cc (the
// rules users know from hadolint); this table is the one place rules are listed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.h"

namespace plinth::lint {

enum class RuleScope {
  kFleet,    // needs plinth.yaml: the hybrid policy
  kGeneral,  // any Dockerfile, fleet or not
};

struct Rule {
  std::string code;      // "PL103"
  std::string slug;      // "runtime-user-nonroot"
  std::string hadolint;  // "DL3002", or "" when hadolint has no such rule
  Severity severity;
  RuleScope scope;
  std::string summary;    // one line
  std::string rationale;  // why the rule exists
  std::string bad;        // a Dockerfile fragment it reports
  std::string good;       // the same, fixed

  std::vector<std::string> Aliases() const;  // hadolint code (if any), then the slug
};

const std::vector<Rule>& Rules();
// By code, hadolint code or slug (case-insensitive); nullptr if none.
const Rule* FindRule(std::string_view name);
// The text of `plinth lint --explain CODE`.
std::string ExplainRule(const Rule& rule);

}  // namespace plinth::lint
