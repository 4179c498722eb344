// Fixer: the mechanical fixes of `plinth lint --fix`. Pure: a Dockerfile's text and the
// findings lint reported on it (after ignore pragmas and the configuration's `ignored`) go in,
// the fixed text and what was and was not done come out; nothing is read or written here.
//
// Only these findings are fixed, each at the instruction it names, and only where the fix
// keeps what the image does:
//   DL3025 (PL210)  shell-form CMD/ENTRYPOINT that is one plain command → JSON exec form;
//   DL4000 (PL215)  `MAINTAINER x` → `LABEL maintainer="x"`;
//   DL3020 (PL205)  ADD of local files and folders only → COPY, flags kept;
//   DL3027 (PL241)  the command word `apt` → `apt-get` (`apt-cache` for search, show, policy…);
//   DL3047 (PL255)  `wget` → `wget --progress=dot:giga`;
//   DL3015 (PL237)  `apt-get install` → `apt-get install --no-install-recommends`;
//   PL107           an unpinned upstream FROM image → `image@sha256:…`, the digest `resolve`
//                   gives for it.
// A fix rewrites only the bytes it must: comments, continuations, heredocs, spacing, the case
// of keywords, CRLF line ends and the file's line count stay as they were. A finding that
// cannot be fixed safely (an expansion in the command, ADD of an archive, a multi-line
// MAINTAINER, a digest that cannot be resolved, …) is left alone with the reason. Fixing the
// fixed text again changes nothing: every fix removes the finding it answers.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lint/finding.h"
#include "util/result.h"

namespace plinth::lint {

// The digest ("sha256:…") an image reference as written in a FROM resolves to, or an error
// saying why there is none.
using DigestResolver = std::function<Result<std::string>(const std::string& image)>;

struct FixNote {
  Location where;    // the instruction
  std::string code;  // the finding's code (PL215)
  std::string text;  // what was done, or why nothing was
};

struct FileFix {
  std::string path;
  std::string before, after;     // whole contents; equal when nothing changed
  std::vector<FixNote> applied;  // in file order
  std::vector<FixNote> skipped;  // fixable findings left alone, with the reason
  bool changed() const { return before != after; }
};

// Whether --fix has a fix for a finding's rule.
bool HasFix(const Finding& finding);

// Fixes `findings` (those of other files and rules are ignored) in `content`. An error only
// when the text does not parse as a Dockerfile at all. `resolve` may be empty: PL107 is then
// skipped.
Result<FileFix> FixDockerfile(const std::string& content, const std::string& path,
                              const std::vector<Finding>& findings,
                              const DigestResolver& resolve = {});

}  // namespace plinth::lint

namespace plinth::lint {

struct LintConfig;

// FixDockerfile, then lint of the fixed text with `config` (the general rules; the fleet's are
// not needed: no fix uncovers one) and FixDockerfile again on what the fixes uncovered
// (`apt install` becomes `apt-get install`, which DL3015 then asks to fix), until nothing
// changes. So a second `--fix` changes nothing.
Result<FileFix> FixDockerfileFully(const std::string& content, const std::string& path,
                                   const std::vector<Finding>& findings, const LintConfig& config,
                                   const DigestResolver& resolve = {});

}  // namespace plinth::lint
