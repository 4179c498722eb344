// Suppressions: `# hadolint ignore=DL3006,DL3008` and `# plinth ignore=PL103` comments
// directly above an instruction silence those rules on that instruction (every line it spans);
// `# hadolint global ignore=…` / `# plinth global ignore=…` anywhere silence them in the whole
// file. Names are codes, hadolint aliases or slugs, case-insensitive.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "lint/dockerfile_view.h"
#include "lint/finding.h"

namespace plinth::lint {

class Suppressions {
 public:
  static Suppressions FromView(const DockerfileView& view);
  bool Suppressed(const Finding& finding) const;

 private:
  struct Range {
    int first_line, last_line;
    std::set<std::string> names;
  };
  std::vector<Range> ranges_;
  std::set<std::string> global_;
};

// The names in one comment's text (without '#') if it is an ignore pragma; `global` says which.
bool ParseIgnorePragma(const std::string& comment, std::set<std::string>* names, bool* global);

}  // namespace plinth::lint
