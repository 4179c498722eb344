#include "plan/target_key.h"

#include <algorithm>

#include "dockerfile/parser.h"
#include "plan/context_sources.h"
#include "util/sha256.h"

namespace plinth::plan {
namespace {

using dockerfile::Instruction;
using dockerfile::InstructionKind;

// One length-prefixed field of a hashed text, so that no two texts run into each other.
void Field(Sha256& h, std::string_view text) {
  h.Update(std::to_string(text.size()) + ":");
  h.Update(text);
  h.Update("\n");
}

std::string StageDigest(const dockerfile::StageGraph& graph, const dockerfile::Stage& stage) {
  Sha256 h;
  Field(h, std::string(1, graph.escape_token()));
  Field(h, stage.name);
  Field(h, stage.base);
  Field(h, stage.platform);
  for (const Instruction& ins : stage.instructions) {
    Field(h, ins.original);
    for (const auto& doc : ins.heredocs) {
      Field(h, doc.name);
      Field(h, std::string(doc.expand ? "expand" : "raw") + (doc.chomp ? " chomp " : " ") +
                   std::to_string(doc.file_descriptor));
      Field(h, doc.content);
    }
  }
  return "sha256:" + h.FinishHex();
}

std::string IgnoreValue(const TargetSpec& spec) {
  if (!spec.ignore || spec.ignore_file.empty()) return "none";
  Sha256 h;
  for (const auto& p : spec.ignore->patterns()) Field(h, (p.exclusion ? "!" : "") + p.text);
  return spec.ignore_file + " sha256:" + h.FinishHex();
}

bool Copies(const Instruction& ins) {
  return ins.kind == InstructionKind::kCopy || ins.kind == InstructionKind::kAdd;
}

// A source spelled with a variable could be anything once expanded (the base image's ENV
// included): the whole context is read instead of guessing.
void AddSource(const std::string& source, std::vector<std::string>* out) {
  out->push_back(source.find('$') == std::string::npos ? source : ".");
}

// What instruction `ins` reads from the build context, as written.
std::vector<std::string> ContextSourcesOf(const Instruction& ins) {
  std::vector<std::string> sources;
  if (Copies(ins) && ins.copy.from.empty()) {
    for (const auto& s : ins.copy.sources)
      if (s.rfind("<<", 0) != 0) AddSource(s, &sources);
  }
  if (ins.kind == InstructionKind::kRun) {
    for (const auto& m : ins.run.mounts)
      if (m.type == dockerfile::MountType::kBind && m.from.empty())
        AddSource(m.source.empty() ? "." : m.source, &sources);
  }
  return sources;
}

class KeyMaker {
 public:
  KeyMaker(const TargetSpec& spec, const KeyOptions& options, KeySources& sources)
      : spec_(spec), options_(options), sources_(sources) {}

  Result<TargetKey> Make() {
    Add("format", std::to_string(kCacheFormatVersion));
    Add("platform", spec_.platform.str());
    Add("epoch", std::to_string(options_.epoch));
    if (spec_.source != TargetSource::kDockerfile) return Recipe();
    const auto& graph = *spec_.stages;
    for (const auto& [name, value] : graph.meta_args().vars()) Add("arg:" + name, value);
    for (const auto& [name, value] : spec_.build_args) Add("build-arg:" + name, value);
    // Another stage's image under the target's name is another image (only when asked for, so
    // the keys of ordinary builds stay as they were).
    if (!spec_.target_stage.empty()) Add("target-stage", spec_.target_stage);
    for (int index : graph.Closure(graph.target()))
      PLINTH_CHECK(AddStage(graph, graph.stage(index)));
    if (reads_context_) Add("dockerignore", IgnoreValue(spec_));
    if (runs_) Add("backend", options_.backend);
    return std::move(out_);
  }

 private:
  void Add(const std::string& name, const std::string& value) { out_.key.Add(name, value); }

  Result<TargetKey> Recipe() {
    PLINTH_TRY(RecipeInputs recipe,
               sources_.recipes->Read(spec_.recipe, spec_.platform.architecture));
    Add("recipe", recipe.recipe);
    if (!recipe.lock.empty()) Add("recipe-lock", recipe.lock);
    if (!spec_.user.empty()) Add("user", spec_.user);
    return std::move(out_);
  }

  // The image `ref` names, as an input; its ONBUILD triggers when a FROM runs them.
  Result<std::vector<std::string>> AddBase(const std::string& ref, const oci::Platform& platform,
                                           const Location& where) {
    std::string name = "base:" + ref;
    if (!(platform == spec_.platform)) name += " " + platform.str();
    auto base = sources_.bases->Resolve(ref, platform);
    if (!base) {
      const Error& e = base.error();
      if (e.kind() != ErrorKind::kNotFound && e.kind() != ErrorKind::kUnavailable)
        return Error(e.kind(), "needs " + ref + ": " + e.message(), where);
      MissingImage missing{ref, platform};
      if (std::find(out_.missing.begin(), out_.missing.end(), missing) == out_.missing.end())
        out_.missing.push_back(std::move(missing));
      Add(name, "missing");
      return std::vector<std::string>();
    }
    Add(name, base->digest);
    return std::move(base->on_build);
  }

  Status AddContext(const Instruction& ins) {
    if (ins.kind == InstructionKind::kRun) runs_ = true;
    std::vector<std::string> sources = ContextSourcesOf(ins);
    if (sources.empty()) return Ok{};
    reads_context_ = true;
    auto added =
        AddContextSources(*sources_.files, spec_.context, spec_.ignore.get(), sources, &inputs_);
    if (!added) return Error(added.error().kind(), added.error().message(), ins.location);
    for (auto& [name, value] : inputs_) Add(name, value);
    inputs_.clear();
    return Ok{};
  }

  Status AddStage(const dockerfile::StageGraph& graph, const dockerfile::Stage& stage) {
    Add("stage:" + stage.DisplayName(), StageDigest(graph, stage));
    std::vector<Instruction> triggers;
    for (const auto& edge : stage.edges) {
      if (edge.ref.kind != dockerfile::RefKind::kImage) continue;
      oci::Platform platform = spec_.platform;
      if (edge.kind == dockerfile::EdgeKind::kFrom && !stage.platform.empty()) {
        auto p = oci::Platform::Parse(stage.platform);
        if (!p)
          return Error(p.error().kind(), "FROM --platform: " + p.error().message(), stage.location);
        platform = *p;
      }
      PLINTH_TRY(std::vector<std::string> on_build,
                 AddBase(edge.ref.image, platform, edge.location));
      if (edge.kind != dockerfile::EdgeKind::kFrom) continue;
      for (const auto& text : on_build) {
        PLINTH_TRY(Instruction trigger, ParseTrigger(text, stage));
        triggers.push_back(std::move(trigger));
      }
    }
    // A FROM of an earlier stage runs that stage's own ONBUILD triggers.
    if (stage.base_ref.kind == dockerfile::RefKind::kStage) {
      for (const auto& ins : graph.stage(stage.base_ref.stage).instructions)
        if (ins.kind == InstructionKind::kOnbuild && !ins.trigger.empty())
          triggers.push_back(ins.trigger[0]);
    }
    for (const auto& trigger : triggers) {
      PLINTH_CHECK(AddContext(trigger));
      // A trigger's COPY --from names a stage of this Dockerfile or an image.
      if (Copies(trigger) && !trigger.copy.from.empty() && graph.Find(trigger.copy.from) < 0) {
        PLINTH_TRY(auto ignored, AddBase(trigger.copy.from, spec_.platform, stage.location));
        (void)ignored;
      }
    }
    for (const auto& ins : stage.instructions) PLINTH_CHECK(AddContext(ins));
    return Ok{};
  }

  static Result<Instruction> ParseTrigger(const std::string& text, const dockerfile::Stage& stage) {
    std::string where = stage.location.file + " (ONBUILD of " + stage.base + ")";
    auto ast = dockerfile::Parse(text, where);
    if (!ast || ast->instructions.empty())
      return Error(ErrorKind::kInvalidInput,
                   "ONBUILD trigger '" + text + "' of " + stage.base + " does not parse",
                   stage.location);
    return dockerfile::ParseInstruction(ast->instructions[0], where);
  }

  const TargetSpec& spec_;
  const KeyOptions& options_;
  KeySources& sources_;
  TargetKey out_;
  std::map<std::string, std::string> inputs_;
  bool reads_context_ = false;
  bool runs_ = false;
};

}  // namespace

Result<TargetKey> ComputeTargetKey(const TargetSpec& spec, const KeyOptions& options,
                                   KeySources& sources) {
  return KeyMaker(spec, options, sources).Make();
}

}  // namespace plinth::plan
