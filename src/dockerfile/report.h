// Machine- and human-readable renderings of the AST and the stage graph, for the CLI and for
// tools that consume plinth's output. The JSON shapes are stable:
//   AST:   {"file", "escape", "directives":[{name,value,line}], "warnings":[{message,line}],
//           "instructions":[{keyword, flags, args, json, start_line, end_line, column,
//                            heredocs:[{name,content,expand,chomp,file_descriptor}],
//                            children:[...same...]}]}
//   graph: {"target", "runtime", "build_platform", "target_platform",
//           "stages":[{index,name,base,base_written,platform,line,runs,base_kind,base_stage,
//                      instructions}],
//           "edges":[{from_stage,kind,written,ref_kind,stage|image,line}]}
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "dockerfile/ast.h"
#include "dockerfile/stage_graph.h"

namespace plinth::dockerfile {

nlohmann::json AstToJson(const Ast& ast);
nlohmann::json StageGraphToJson(const StageGraph& graph);
// One line per stage, then one line per edge between stages or to images.
std::string StageGraphToText(const StageGraph& graph);

}  // namespace plinth::dockerfile
