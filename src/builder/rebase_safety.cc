#include "builder/rebase_safety.h"

#include <set>

namespace plinth::builder {
namespace {

using dockerfile::InstructionKind;
using dockerfile::RefKind;
using dockerfile::StageGraph;

// The root of `index`'s FROM chain.
int ChainRoot(const StageGraph& graph, int index) {
  while (graph.stage(index).base_ref.kind == RefKind::kStage) index = graph.stage(index).base_ref.stage;
  return index;
}

// "stage NAME RUNs (Dockerfile:12: RUN make)". The file's base name only: the reason is stored
// in the image, whose digest must not depend on where the fleet is checked out.
std::string FirstRun(const dockerfile::Stage& stage) {
  for (const auto& ins : stage.instructions) {
    if (ins.kind != InstructionKind::kRun) continue;
    std::string file = ins.location.file.substr(ins.location.file.rfind('/') + 1);
    return "stage " + stage.DisplayName() + " RUNs (" + file + ":" +
           std::to_string(ins.location.line) + ": " + ins.original + ")";
  }
  return "stage " + stage.DisplayName() + " RUNs";
}

}  // namespace

int BaseStage(const StageGraph& graph) { return ChainRoot(graph, graph.target()); }

std::string BaseImageRef(const StageGraph& graph) {
  const auto& root = graph.stage(BaseStage(graph));
  return root.base_ref.kind == RefKind::kImage ? root.base_ref.image : "";
}

std::optional<std::string> RebaseUnsafeReason(const StageGraph& graph) {
  std::string base = BaseImageRef(graph);
  std::set<int> chain;
  for (int i = graph.target();; i = graph.stage(i).base_ref.stage) {
    chain.insert(i);
    if (graph.stage(i).base_ref.kind != RefKind::kStage) break;
  }
  for (int i : chain) {
    if (graph.stage(i).runs)
      return FirstRun(graph.stage(i)) + " on top of the base's files: its layers depend on the base";
  }
  if (base.empty()) return std::nullopt;
  for (int i : graph.Closure(graph.target())) {
    for (const auto& edge : graph.stage(i).edges) {
      if (edge.kind == dockerfile::EdgeKind::kFrom || edge.ref.kind != RefKind::kImage ||
          edge.ref.image != base)
        continue;
      std::string file = edge.location.file.substr(edge.location.file.rfind('/') + 1);
      return "stage " + graph.stage(i).DisplayName() + " copies files out of " + base +
             ", the base being replaced (" + file + ":" + std::to_string(edge.location.line) + ")";
    }
  }
  for (int i : graph.Closure(graph.target())) {
    if (chain.count(i) || !graph.stage(i).runs) continue;
    // Does this RUN stage see the base's files (FROM it, or through its own FROM chain)?
    bool on_base = false;
    for (int j = i;; j = graph.stage(j).base_ref.stage) {
      for (const auto& edge : graph.stage(j).edges)
        on_base |= edge.ref.kind == RefKind::kImage && edge.ref.image == base;
      if (graph.stage(j).base_ref.kind != RefKind::kStage) break;
    }
    if (on_base)
      return FirstRun(graph.stage(i)) + " on " + base +
             ", the base being replaced, and the image copies its output";
  }
  return std::nullopt;
}

}  // namespace plinth::builder
