#include "lint/dockerfile_view.h"

#include <cctype>

#include "dockerfile/parser.h"
#include "dockerfile/stage_graph.h"
#include "util/ascii.h"

namespace plinth::lint {
int DockerfileView::FindStage(const std::string& name, int before) const {
  std::string wanted = AsciiLower(name);
  bool numeric = !wanted.empty() && wanted.find_first_not_of("0123456789") == std::string::npos;
  for (int i = 0; i < before && i < static_cast<int>(stages.size()); ++i) {
    if (!stages[i].from) continue;
    if (!stages[i].name.empty() && stages[i].name == wanted) return i;
    if (numeric && std::to_string(stages[i].index) == wanted) return i;
  }
  return -1;
}

Result<DockerfileView> ViewDockerfile(const std::string& content, const std::string& file,
                                      const ViewOptions& options) {
  DockerfileView view;
  view.file = file;
  view.content = content;
  PLINTH_TRY(view.ast, dockerfile::Parse(content, file));
  for (const auto& node : view.ast.instructions) {
    auto ins = dockerfile::ParseInstruction(node, file);
    if (!ins) {
      Finding f;
      f.location = ins.error().location();
      if (f.location.empty()) f.location = Location{file, node.start_line, node.column};
      f.severity = Severity::kError;
      f.code = "PL001";
      f.aliases = {"dockerfile-syntax"};
      f.message = ins.error().message();
      f.hint = "fix the instruction; BuildKit rejects it";
      view.syntax_findings.push_back(std::move(f));
      continue;
    }
    if (ins->kind == dockerfile::InstructionKind::kFrom) {
      LintStage stage;
      stage.index = static_cast<int>(view.stages.size());
      stage.name = AsciiLower(ins->from.name);
      stage.base_written = ins->from.image;
      stage.base = ins->from.image;
      stage.parent = view.FindStage(stage.base_written, stage.index);
      stage.from = std::move(*ins);
      view.stages.push_back(std::move(stage));
    } else if (view.stages.empty() && ins->kind == dockerfile::InstructionKind::kArg) {
      view.global_args.push_back(std::move(*ins));
    } else {
      if (view.stages.empty()) view.stages.push_back(LintStage{});  // a fragment
      view.stages.back().instructions.push_back(std::move(*ins));
    }
  }
  // Expanded bases come from the stage graph, which knows ARG scoping and platform ARGs.
  if (!view.fragment() && !view.stages.empty()) {
    dockerfile::StageGraphOptions graph_options;
    for (const auto& [k, v] : options.build_args) graph_options.build_args[k] = v;
    if (!options.platform.empty()) {
      if (auto p = dockerfile::BuildPlatform::Parse(options.platform)) graph_options.target_platform = *p;
    }
    if (auto graph = dockerfile::BuildStageGraph(view.ast, graph_options);
        graph && graph->stages().size() == view.stages.size()) {
      for (size_t i = 0; i < view.stages.size(); ++i) view.stages[i].base = graph->stage(i).base;
    }
  }
  return view;
}

}  // namespace plinth::lint
