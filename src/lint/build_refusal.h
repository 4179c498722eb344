// What the lint findings of a fleet mean for `plinth build`: a target whose own Dockerfile has a
// finding of error severity (after `# plinth ignore=` comments and .hadolint.yaml's `ignored`
// and `override`, as `plinth lint` reports it) is not built; warnings and below never stop a
// build. The failure threshold of .hadolint.yaml sets lint's exit code, not what build refuses.
// A finding belongs to the target whose Dockerfile it is in and refuses that target only (every
// platform of it), as a failed target does: what needs it is skipped, the rest builds with -k.
#pragma once

#include <map>
#include <string>

#include "lint/linter.h"

namespace plinth::lint {

// Why each refused target is refused, by target name: its first error finding as
// "lint PL101 at services/app/Dockerfile:3:1: MESSAGE", and how many more there are.
std::map<std::string, std::string> BuildRefusals(const std::map<std::string, LintResult>& by_target);

}  // namespace plinth::lint
