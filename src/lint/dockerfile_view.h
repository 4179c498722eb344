// DockerfileView: a Dockerfile as lint sees it — typed instructions grouped into stages, for
// complete Dockerfiles and for fragments alike. It adapts src/dockerfile: the stage graph
// (dockerfile/stage_graph.h) refuses instructions before the first FROM, but hadolint's rules
// run on fragments too, so here instructions before any FROM (other than global ARGs) form an
// implicit stage with no FROM. Bases are expanded for one target platform by the stage graph
// when the file has one; an instruction that does not parse becomes a PL001 finding instead of
// stopping the whole file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dockerfile/ast.h"
#include "dockerfile/instructions.h"
#include "lint/finding.h"
#include "util/result.h"

namespace plinth::lint {

struct LintStage {
  int index = 0;
  std::optional<dockerfile::Instruction> from;  // nullopt: a fragment without FROM
  std::string name;           // lower-cased `AS` name, "" if none
  std::string base_written;   // FROM's image as written
  std::string base;           // expanded for the platform (as written if it cannot be)
  int parent = -1;            // index of the earlier stage FROM names, else -1
  std::vector<dockerfile::Instruction> instructions;  // after FROM
};

struct DockerfileView {
  std::string file;
  std::string content;  // the raw text (for comments anywhere)
  dockerfile::Ast ast;
  std::vector<dockerfile::Instruction> global_args;
  std::vector<LintStage> stages;
  std::vector<Finding> syntax_findings;  // PL001

  bool fragment() const { return !stages.empty() && !stages.front().from; }
  const LintStage* runtime() const { return stages.empty() ? nullptr : &stages.back(); }
  // The stage `name` (lower-cased name or decimal index) refers to, from stage `before` on; -1.
  int FindStage(const std::string& name, int before) const;
};

struct ViewOptions {
  std::string platform;  // "linux/arm64"; empty: the host
  std::vector<std::pair<std::string, std::string>> build_args;
};

// A parse failure of the whole file (bad directive, unterminated heredoc) is an error.
Result<DockerfileView> ViewDockerfile(const std::string& content, const std::string& file,
                                      const ViewOptions& options);

}  // namespace plinth::lint
