// Suppressions: `# hadolint ignore=DL3006,DL3008` and `# plinth ignore=PL103` comments
// directly above an instruction silence those rules on that instruction (every line it spans);
// `# hadolint global ignore=…` / `# plinth global ignore=…` anywhere silence them in the whole
// file. Names are codes, hadolint aliases or slugs, case-insensitive. With hadolint's
// `disable-ignore-pragma` the comments are read but silence nothing.
//
// `# hadolint shell=NAME` says which shell the RUNs after it are written for (hadolint's way
// to lint a Dockerfile whose base image has another shell than /bin/sh without a SHELL
// instruction); ShellPragmaAt gives the one in force at a line.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "lint/dockerfile_view.h"
#include "lint/finding.h"

namespace plinth::lint {

class Suppressions {
 public:
  static Suppressions FromView(const DockerfileView& view, bool disabled = false);
  bool Suppressed(const Finding& finding) const;

 private:
  struct Range {
    int first_line, last_line;
    std::set<std::string> names;
  };
  std::vector<Range> ranges_;
  std::set<std::string> global_;
  bool disabled_ = false;
};

// The names in one comment's text (without '#') if it is an ignore pragma; `global` says which.
bool ParseIgnorePragma(const std::string& comment, std::set<std::string>* names, bool* global);

// The shell a `# hadolint shell=NAME` (or `# plinth shell=NAME`) comment names; "" if it is none.
std::string ParseShellPragma(const std::string& comment);

// The shell named by the last shell pragma on a line before `line` (1-based) of the
// Dockerfile's text, "" if there is none.
std::string ShellPragmaAt(const DockerfileView& view, int line);

struct PragmaComment {
  int line = 0;    // 1-based
  int column = 0;  // of the '#'
};
// Every inline (not global) ignore pragma comment of the file, for DL1001.
std::vector<PragmaComment> IgnorePragmas(const DockerfileView& view);

}  // namespace plinth::lint
