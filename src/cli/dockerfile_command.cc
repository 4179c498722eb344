// `plinth dockerfile parse|stages`: the Dockerfile frontend from the command line.
//   parse FILE [--format json|dump]   the AST (json, with positions) or BuildKit's dump form
//   stages FILE [--build-arg K=V]... [--platform P] [--target T] [--format text|json]
#include <iostream>
#include <map>

#include "cli/command.h"
#include "dockerfile/dump.h"
#include "dockerfile/parser.h"
#include "dockerfile/report.h"
#include "dockerfile/stage_graph.h"

namespace plinth::cli {
namespace {

struct ParseOptions {
  std::string file;
  std::string format = "json";
};

struct StagesOptions {
  std::string file;
  std::vector<std::string> build_args;
  std::string platform;
  std::string target;
  std::string format = "text";
};

int RunParse(const ParseOptions& o) {
  auto ast = dockerfile::ParseFile(o.file);
  if (!ast) return ReportError(ast.error());
  if (o.format == "dump") {
    std::cout << dockerfile::Dump(*ast);
  } else {
    std::cout << dockerfile::AstToJson(*ast).dump(2, ' ', false,
                                                  nlohmann::json::error_handler_t::replace)
              << "\n";
  }
  return 0;
}

int RunStages(const StagesOptions& o) {
  dockerfile::StageGraphOptions options;
  for (const std::string& kv : o.build_args) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return ReportError(InvalidInput("--build-arg " + kv + ": want KEY=VALUE"));
    }
    options.build_args[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  if (!o.platform.empty()) {
    auto p = dockerfile::BuildPlatform::Parse(o.platform);
    if (!p) return ReportError(p.error().Context("--platform"));
    options.target_platform = *p;
  }
  options.target = o.target;
  auto graph = dockerfile::LoadStageGraph(o.file, options);
  if (!graph) return ReportError(graph.error());
  if (o.format == "json") {
    std::cout << dockerfile::StageGraphToJson(*graph).dump(
                     2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    std::cout << dockerfile::StageGraphToText(*graph);
  }
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("dockerfile", "Parse Dockerfiles and show their stage graph");
  cmd->require_subcommand(1);

  auto parse = std::make_shared<ParseOptions>();
  auto* p = cmd->add_subcommand("parse", "Print a Dockerfile's syntax tree");
  p->add_option("FILE", parse->file, "the Dockerfile")->required();
  AddFormatOption(p, &parse->format, "json (AST with positions) or dump (BuildKit's form)")
      ->check(CLI::IsMember({"json", "dump"}));
  p->callback([parse, &global] { global.exit_code = RunParse(*parse); });

  auto stages = std::make_shared<StagesOptions>();
  auto* s = cmd->add_subcommand("stages", "Print a Dockerfile's stages and the edges between them");
  s->add_option("FILE", stages->file, "the Dockerfile")->required();
  s->add_option("--build-arg", stages->build_args, "KEY=VALUE, may be repeated");
  s->add_option("--platform", stages->platform, "target platform, e.g. linux/arm64");
  s->add_option("--target", stages->target, "the stage to build (default: the last)");
  AddFormatOption(s, &stages->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  s->callback([stages, &global] { global.exit_code = RunStages(*stages); });
}

const bool kRegistered = RegisterCommand(300, Setup);

}  // namespace
}  // namespace plinth::cli
