// The checks behind hadolint's instruction rules that need no shell parse (DL1001, DL3010-
// DL3012, DL3043, DL3044, DL3061-DL3067: instruction_rules.cc) and its label rules (DL3048-
// DL3058 with `label-schema` / `strict-labels`: label_rules.cc). Internal to the lint module;
// CheckGeneralRules runs them.
#pragma once

#include <string>

#include "lint/rule_context.h"

namespace plinth::lint {

void CheckInstructionRules(RuleContext& context);
void CheckLabelRules(RuleContext& context);

// A label value's validity for a label-schema type (exposed for tests).
bool IsValidLabelValue(LabelType type, const std::string& value);

}  // namespace plinth::lint
