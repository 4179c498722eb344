#include "dockerfile/report.h"

#include "dockerfile/dump.h"

namespace plinth::dockerfile {
namespace {

// JSON strings must be UTF-8; arbitrary bytes from a Dockerfile are replaced, not thrown on.
nlohmann::json Str(const std::string& s) { return s; }

nlohmann::json NodeToJson(const Node& node) {
  nlohmann::json j;
  j["keyword"] = Str(node.keyword);
  j["flags"] = node.flags;
  j["args"] = node.args;
  j["json"] = node.json;
  j["start_line"] = node.start_line;
  j["end_line"] = node.end_line;
  j["column"] = node.column;
  j["heredocs"] = nlohmann::json::array();
  for (const Heredoc& h : node.heredocs) {
    j["heredocs"].push_back({{"name", h.name},
                             {"content", h.content},
                             {"expand", h.expand},
                             {"chomp", h.chomp},
                             {"file_descriptor", h.file_descriptor}});
  }
  j["children"] = nlohmann::json::array();
  for (const Node& c : node.children) j["children"].push_back(NodeToJson(c));
  return j;
}

std::string RefText(const StageGraph& g, const StageRef& ref) {
  switch (ref.kind) {
    case RefKind::kStage: return "stage " + g.stage(ref.stage).DisplayName();
    case RefKind::kScratch: return "scratch";
    case RefKind::kImage: return "image " + ref.image;
  }
  return "?";
}

const char* RefKindName(RefKind kind) {
  switch (kind) {
    case RefKind::kStage: return "stage";
    case RefKind::kScratch: return "scratch";
    case RefKind::kImage: return "image";
  }
  return "?";
}

}  // namespace

nlohmann::json AstToJson(const Ast& ast) {
  nlohmann::json j;
  j["file"] = ast.file;
  j["escape"] = std::string(1, ast.escape_token);
  j["directives"] = nlohmann::json::array();
  for (const Directive& d : ast.directives) {
    j["directives"].push_back({{"name", d.name}, {"value", d.value}, {"line", d.line}});
  }
  j["warnings"] = nlohmann::json::array();
  for (const Warning& w : ast.warnings) {
    j["warnings"].push_back({{"message", w.message}, {"line", w.line}});
  }
  j["instructions"] = nlohmann::json::array();
  for (const Node& n : ast.instructions) j["instructions"].push_back(NodeToJson(n));
  return j;
}

nlohmann::json StageGraphToJson(const StageGraph& g) {
  nlohmann::json j;
  j["target"] = g.target();
  j["runtime"] = g.runtime();
  j["build_platform"] = g.build_platform().ToString();
  j["target_platform"] = g.target_platform().ToString();
  j["stages"] = nlohmann::json::array();
  j["edges"] = nlohmann::json::array();
  for (const Stage& s : g.stages()) {
    nlohmann::json st{{"index", s.index},
                      {"name", s.name},
                      {"base", s.base},
                      {"base_written", s.base_written},
                      {"platform", s.platform},
                      {"line", s.location.line},
                      {"runs", s.runs},
                      {"base_kind", RefKindName(s.base_ref.kind)},
                      {"instructions", s.instructions.size()}};
    if (s.base_ref.kind == RefKind::kStage) st["base_stage"] = s.base_ref.stage;
    j["stages"].push_back(std::move(st));
    for (const StageEdge& e : s.edges) {
      nlohmann::json ej{{"from_stage", e.stage},
                        {"kind", EdgeKindName(e.kind)},
                        {"written", e.written},
                        {"ref_kind", RefKindName(e.ref.kind)},
                        {"line", e.location.line}};
      if (e.ref.kind == RefKind::kStage) ej["stage"] = e.ref.stage;
      if (e.ref.kind == RefKind::kImage) ej["image"] = e.ref.image;
      j["edges"].push_back(std::move(ej));
    }
  }
  return j;
}

std::string StageGraphToText(const StageGraph& g) {
  std::string out;
  for (const Stage& s : g.stages()) {
    out += "stage " + std::to_string(s.index);
    if (!s.name.empty()) out += " " + s.name;
    out += ": FROM " + s.base;
    if (!s.platform.empty()) out += " (platform " + s.platform + ")";
    out += " [line " + std::to_string(s.location.line) + "]";
    if (s.runs) out += " runs";
    if (s.index == g.target()) out += " target";
    if (s.index == g.runtime()) out += " runtime";
    out += "\n";
  }
  for (const StageEdge& e : g.Edges()) {
    out += "edge " + g.stage(e.stage).DisplayName() + " -> " + RefText(g, e.ref) + " (" +
           EdgeKindName(e.kind) + ", line " + std::to_string(e.location.line) + ")\n";
  }
  return out;
}

}  // namespace plinth::dockerfile
