#include "dockerfile/stage_graph.h"

#include <algorithm>
#include <set>
#include <type_traits>

#include "dockerfile/parser.h"
#include "dockerfile/text.h"
#include "util/edit_distance.h"
#include "util/ascii.h"

namespace plinth::dockerfile {
namespace {

bool IsIndex(std::string_view s) {
  return !s.empty() && s.size() < 9 && std::all_of(s.begin(), s.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

class Expander {
 public:
  explicit Expander(char escape) {
    ShellLexOptions o;
    o.escape_token = escape;
    lex_ = ShellLex(o);
  }
  Result<std::string> Word(const std::string& word, const Environment& env,
                           const Location& where) const {
    auto r = lex_.ProcessWord(word, env);
    if (!r) return InvalidInput(r.error().message(), where);
    return std::move(*r);
  }

 private:
  ShellLex lex_;
};

// The stage scope: ARGs and ENVs, ENV winning, as one Environment.
class StageEnv : public Environment {
 public:
  StageEnv(const VarMap& args, const VarMap& env) : args_(args), env_(env) {}
  std::optional<std::string> Lookup(std::string_view name) const override {
    if (auto v = env_.Lookup(name)) return v;
    return args_.Lookup(name);
  }

 private:
  const VarMap& args_;
  const VarMap& env_;
};

}  // namespace

const char* EdgeKindName(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kFrom: return "from";
    case EdgeKind::kCopyFrom: return "copy-from";
    case EdgeKind::kMountFrom: return "mount-from";
  }
  return "?";
}

std::string Stage::DisplayName() const {
  return name.empty() ? "#" + std::to_string(index) : name;
}

int StageGraph::Find(std::string_view name) const {
  std::string lower = AsciiLower(name);
  for (const Stage& s : stages_) {
    if (!s.name.empty() && s.name == lower) return s.index;
  }
  if (IsIndex(name)) {
    int i = std::stoi(std::string(name));
    if (i < static_cast<int>(stages_.size())) return i;
  }
  return -1;
}

std::vector<StageEdge> StageGraph::Edges() const {
  std::vector<StageEdge> out;
  for (const Stage& s : stages_) out.insert(out.end(), s.edges.begin(), s.edges.end());
  return out;
}

std::vector<int> StageGraph::Dependencies(int stage) const {
  std::set<int> deps;
  for (const StageEdge& e : stages_.at(stage).edges) {
    if (e.ref.kind == RefKind::kStage) deps.insert(e.ref.stage);
  }
  return {deps.begin(), deps.end()};
}

std::vector<int> StageGraph::Closure(int stage) const {
  std::set<int> seen{stage};
  std::vector<int> todo{stage};
  while (!todo.empty()) {
    int s = todo.back();
    todo.pop_back();
    for (int d : Dependencies(s)) {
      if (seen.insert(d).second) todo.push_back(d);
    }
  }
  return {seen.begin(), seen.end()};
}

std::vector<std::string> StageGraph::ExternalImages(int stage) const {
  std::set<std::string> images;
  for (int s : Closure(stage)) {
    for (const StageEdge& e : stages_[s].edges) {
      if (e.ref.kind == RefKind::kImage) images.insert(e.ref.image);
    }
  }
  return {images.begin(), images.end()};
}

static_assert(std::is_nothrow_move_constructible_v<Stage>);
static_assert(std::is_nothrow_move_constructible_v<Instruction>);

Result<StageGraph> BuildStageGraph(const Ast& ast, const StageGraphOptions& options) {
  PLINTH_TRY(std::vector<Instruction> instructions, ParseInstructions(ast));
  StageGraph g;
  g.escape_token_ = ast.escape_token;
  g.build_platform_ = options.build_platform.value_or(BuildPlatform::Host());
  g.target_platform_ = options.target_platform.value_or(g.build_platform_);
  Expander expand(ast.escape_token);

  VarMap platform_args;
  AddPlatformArgs(g.build_platform_, g.target_platform_, &platform_args);
  g.meta_args_ = platform_args;

  // Global scope: ARGs before the first FROM, visible to FROM lines.
  size_t i = 0;
  for (; i < instructions.size() && instructions[i].kind == InstructionKind::kArg; ++i) {
    const Instruction& arg = instructions[i];
    for (const KeyValue& kv : arg.pairs) {
      if (auto it = options.build_args.find(kv.key); it != options.build_args.end()) {
        g.meta_args_.Set(kv.key, it->second);
      } else if (kv.has_value) {
        PLINTH_TRY(std::string v, expand.Word(kv.value, g.meta_args_, arg.location));
        g.meta_args_.Set(kv.key, std::move(v));
      }
    }
    g.global_args_.push_back(arg);
  }

  // Stages.
  for (; i < instructions.size(); ++i) {
    Instruction& ins = instructions[i];
    if (ins.kind == InstructionKind::kFrom) {
      Stage s;
      s.index = static_cast<int>(g.stages_.size());
      s.name = ins.from.name;
      s.location = ins.location;
      s.base_written = ins.from.image;
      s.platform_written = ins.from.platform;
      PLINTH_TRY(s.base, expand.Word(ins.from.image, g.meta_args_, ins.location));
      if (s.base.empty()) {
        return InvalidInput("base name (" + ins.from.image + ") should not be blank",
                            ins.location);
      }
      if (!ins.from.platform.empty()) {
        PLINTH_TRY(s.platform, expand.Word(ins.from.platform, g.meta_args_, ins.location));
        if (auto p = BuildPlatform::Parse(s.platform); !p) {
          return InvalidInput("FROM --platform: " + p.error().message(), ins.location);
        }
      }
      if (!s.name.empty()) {
        for (const Stage& other : g.stages_) {
          if (other.name == s.name) {
            return InvalidInput("duplicate stage name \"" + s.name + "\"", ins.location);
          }
        }
      }
      std::string lower = AsciiLower(s.base);
      if (lower == "scratch") {
        s.base_ref = {RefKind::kScratch, -1, ""};
      } else {
        s.base_ref = {RefKind::kImage, -1, s.base};
        for (const Stage& other : g.stages_) {
          if (!other.name.empty() && other.name == lower) s.base_ref = {RefKind::kStage, other.index, ""};
        }
      }
      s.edges.push_back({s.index, -1, EdgeKind::kFrom, ins.from.image, s.base_ref, ins.location});
      s.from = std::move(ins);
      g.stages_.push_back(std::move(s));
      continue;
    }
    Stage& s = g.stages_.back();
    StageEnv scope(s.args, s.env);
    int index_in_stage = static_cast<int>(s.instructions.size());
    switch (ins.kind) {
      case InstructionKind::kArg:
        for (const KeyValue& kv : ins.pairs) {
          if (auto it = options.build_args.find(kv.key); it != options.build_args.end()) {
            s.args.Set(kv.key, it->second);
          } else if (kv.has_value) {
            PLINTH_TRY(std::string v, expand.Word(kv.value, scope, ins.location));
            s.args.Set(kv.key, std::move(v));
          } else if (auto meta = g.meta_args_.Lookup(kv.key)) {
            s.args.Set(kv.key, *meta);
          }
        }
        break;
      case InstructionKind::kEnv:
        for (const KeyValue& kv : ins.pairs) {
          PLINTH_TRY(std::string v, expand.Word(kv.value, scope, ins.location));
          s.env.Set(kv.key, std::move(v));
        }
        break;
      case InstructionKind::kExpose:
        for (const std::string& port : ins.args) {
          if (port.find('$') == std::string::npos) continue;
          PLINTH_TRY(std::string expanded, expand.Word(port, scope, ins.location));
          if (auto p = ParsePortSpec(expanded); !p) {
            return InvalidInput(p.error().message(), ins.location);
          }
        }
        break;
      case InstructionKind::kRun:
        s.runs = true;
        for (const Mount& m : ins.run.mounts) {
          if (m.from.empty()) continue;
          PLINTH_TRY(std::string from, expand.Word(m.from, scope, ins.location));
          s.edges.push_back({s.index, index_in_stage, EdgeKind::kMountFrom, m.from,
                             {RefKind::kImage, -1, from}, ins.location});
        }
        break;
      case InstructionKind::kCopy:
        if (!ins.copy.from.empty()) {
          PLINTH_TRY(std::string from, expand.Word(ins.copy.from, scope, ins.location));
          s.edges.push_back({s.index, index_in_stage, EdgeKind::kCopyFrom, ins.copy.from,
                             {RefKind::kImage, -1, from}, ins.location});
        }
        break;
      default:
        break;
    }
    s.instructions.push_back(std::move(ins));
  }

  // Resolve COPY --from / mount from= against every stage (forward references included, as
  // BuildKit allows them), then reject cycles.
  for (Stage& s : g.stages_) {
    for (StageEdge& e : s.edges) {
      if (e.kind == EdgeKind::kFrom) continue;
      const std::string& ref = e.ref.image;
      std::string lower = AsciiLower(ref);
      int found = -1;
      for (const Stage& other : g.stages_) {
        if (!other.name.empty() && other.name == lower) found = other.index;
      }
      if (found < 0 && IsIndex(ref)) {
        found = std::stoi(ref);
        if (found >= static_cast<int>(g.stages_.size())) {
          return InvalidInput("invalid stage index " + ref + ": the Dockerfile has " +
                                  std::to_string(g.stages_.size()) + " stages",
                              e.location);
        }
      }
      if (found == s.index) {
        return InvalidInput("circular dependency detected on stage: " + s.DisplayName(),
                            e.location);
      }
      if (found >= 0) {
        e.ref = {RefKind::kStage, found, ""};
        continue;
      }
      // BuildKit would take `--from=buidler` as the image docker.io/library/buidler, and the
      // build would stop on an image no one has: a bare name one edit away from a stage is
      // that stage, misspelt.
      if (lower.find_first_of("/:@.") == std::string::npos) {
        for (const Stage& other : g.stages_) {
          if (!other.name.empty() && EditDistance(lower, other.name) == 1)
            return InvalidInput("no stage is named '" + ref + "'; did you mean '" + other.name +
                                    "'? (to copy from an image of that name, write it with its "
                                    "registry: docker.io/library/" + ref + ")",
                                e.location);
        }
      }
    }
  }
  // Cycle check: colour DFS over stage dependencies.
  std::vector<int> colour(g.stages_.size(), 0);
  std::vector<std::pair<int, size_t>> stack;
  for (size_t root = 0; root < g.stages_.size(); ++root) {
    if (colour[root]) continue;
    stack.push_back({static_cast<int>(root), 0});
    colour[root] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      std::vector<int> deps = g.Dependencies(node);
      if (next < deps.size()) {
        int d = deps[next++];
        if (colour[d] == 1) {
          return InvalidInput("circular dependency detected on stage: " +
                                  g.stages_[d].DisplayName(),
                              g.stages_[d].location);
        }
        if (colour[d] == 0) {
          colour[d] = 1;
          stack.push_back({d, 0});
        }
      } else {
        colour[node] = 2;
        stack.pop_back();
      }
    }
  }

  g.target_ = g.runtime();
  if (!options.target.empty()) {
    std::string lower = AsciiLower(options.target);
    g.target_ = -1;
    for (const Stage& s : g.stages_) {
      if (!s.name.empty() && s.name == lower) g.target_ = s.index;
    }
    if (g.target_ < 0) {
      return NotFound("target stage \"" + options.target + "\" could not be found",
                      Location{ast.file});
    }
  }
  return g;
}

Result<StageGraph> LoadStageGraph(const std::string& path, const StageGraphOptions& options) {
  PLINTH_TRY(Ast ast, ParseFile(path));
  return BuildStageGraph(ast, options);
}

}  // namespace plinth::dockerfile
