#include "cli/emit_command.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace plinth::cli {
namespace {

struct Emitter {
  int order;
  EmitterSetup setup;
};

std::vector<Emitter>& Emitters() {
  static std::vector<Emitter> emitters;
  return emitters;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  if (Emitters().empty()) return;
  auto* emit = app.add_subcommand("emit", "Write files generated from plinth.yaml and the plan");
  emit->require_subcommand(1);
  auto emitters = Emitters();
  std::stable_sort(emitters.begin(), emitters.end(),
                   [](const Emitter& a, const Emitter& b) { return a.order < b.order; });
  for (auto& e : emitters) e.setup(*emit, global);
}

const bool kRegistered = RegisterCommand(40, Setup);

}  // namespace

bool RegisterEmitter(int order, EmitterSetup setup) {
  Emitters().push_back({order, std::move(setup)});
  return true;
}

}  // namespace plinth::cli
