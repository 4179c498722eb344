// `plinth plan`: the build DAG of the fleet: phases (what can build together), the critical path
// (costs: each target's last build time), and for each target whether it is cached and, with
// --explain, which input changed (plan/cache_forecast.h). It reads the store and the disk only.
#include <iostream>

#include "builder/fleet_builder.h"
#include "builder/key_readers.h"
#include "cli/fleet_session.h"
#include "oci/image.h"
#include "plan/cache_forecast.h"
#include "run/step_runner.h"

namespace plinth::cli {
namespace {

struct Status_ {
  std::string state;                 // cached | build
  std::vector<std::string> reasons;  // why it must build
};

struct PlanArgs {
  std::vector<std::string> targets;
  std::vector<std::string> platforms;
  std::string format = "text";
  std::string backend{builder::kDefaultStageBackend};
  bool explain = false;
  PlanOverrideFlags overrides;  // --build-arg, --target: forecast such a build
};

int Plan(const GlobalOptions& global, const PlanArgs& args) {
  if (args.format != "text" && args.format != "json" && args.format != "dot")
    return ReportError(InvalidInput("--format '" + args.format + "': use text, json or dot"));
  auto session = OpenFleetSession(global, args.targets, args.platforms, args.overrides);
  if (!session) return ReportError(session.error());
  if (auto known = builder::CheckStageBackendName(args.backend); !known)
    return ReportError(known.error());
  auto timestamp = oci::BuildTimestamp();
  if (!timestamp) return ReportError(timestamp.error());
  const auto& plan = session->plan;
  builder::StoreKeySources readers(session->fleet, *session->store);
  plan::KeySources sources = readers.sources();
  plan::CacheRecords records(*session->store);
  Status native_available = Ok{};
  if (args.backend == "native")
    native_available = run::RuncStepRunner(run::RuncStateDir(session->store->dir())).CheckAvailable();
  auto options =
      builder::KeyOptionsOf({.timestamp = *timestamp, .backend = args.backend}, native_available);
  auto forecast = plan::ForecastCache(plan, options, sources, records);
  std::map<plan::TargetId, Status_> status;
  for (const auto& [id, f] : forecast) status[id] = {f.cached ? "cached" : "build", f.reasons};
  auto phases = plan.graph.Phases();
  auto critical = plan.graph.CriticalPath(plan.selected);
  if (args.format == "dot") {
    std::cout << "digraph plinth {\n  rankdir=LR;\n";
    for (plan::TargetId id : plan.selected) {
      std::cout << "  \"" << plan.graph.node(id).name << "\" [shape=box"
                << (status[id].state == "cached" ? ", style=filled, fillcolor=\"#d8f0d8\"" : "") << "];\n";
      const auto& node = plan.graph.node(id);
      for (size_t i = 0; i < node.needs.size(); ++i)
        std::cout << "  \"" << plan.graph.node(node.needs[i]).name << "\" -> \"" << node.name
                  << "\" [label=\"" << node.why[i] << "\"];\n";
    }
    std::cout << "}\n";
    return 0;
  }
  if (args.format == "json") {
    nlohmann::json j{{"phases", nlohmann::json::array()}, {"critical_path", nlohmann::json::array()},
                     {"targets", nlohmann::json::array()}};
    for (const auto& phase : phases) {
      nlohmann::json p = nlohmann::json::array();
      for (auto id : phase) if (plan.selected.count(id)) p.push_back(plan.graph.node(id).name);
      if (!p.empty()) j["phases"].push_back(p);
    }
    for (auto id : critical) j["critical_path"].push_back(plan.graph.node(id).name);
    for (plan::TargetId id : plan.graph.TopologicalOrder()) {
      if (!plan.selected.count(id)) continue;
      nlohmann::json needs = nlohmann::json::array();
      for (size_t i = 0; i < plan.graph.node(id).needs.size(); ++i)
        needs.push_back({{"target", plan.graph.node(plan.graph.node(id).needs[i]).name},
                         {"why", plan.graph.node(id).why[i]}});
      // What it is built from: its Dockerfile, a Debian recipe, or a recipe standing in for an
      // upstream image (what `emit bake` can give BuildKit and what it cannot).
      const char* source = plan.specs[id].source == plan::TargetSource::kDockerfile ? "dockerfile"
                           : plan.specs[id].source == plan::TargetSource::kRecipe   ? "recipe"
                                                                                    : "upstream-recipe";
      j["targets"].push_back({{"target", plan.graph.node(id).name}, {"image", plan.specs[id].image},
                              {"source", source}, {"state", status[id].state},
                              {"reasons", status[id].reasons}, {"needs", needs}});
    }
    j["indexes"] = nlohmann::json::array();
    for (const auto& index : plan.indexes) {
      nlohmann::json members = nlohmann::json::array();
      for (auto id : index.members) members.push_back(plan.graph.node(id).name);
      j["indexes"].push_back({{"image", index.image}, {"target", index.name}, {"targets", members}});
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  int n = 0;
  for (const auto& phase : phases) {
    std::vector<plan::TargetId> ids;
    for (auto id : phase) if (plan.selected.count(id)) ids.push_back(id);
    if (ids.empty()) continue;
    std::cout << "phase " << n++ << ":\n";
    for (auto id : ids) {
      std::cout << "  " << plan.graph.node(id).name << "  " << status[id].state;
      const auto& node = plan.graph.node(id);
      if (!node.needs.empty()) {
        std::cout << "  (after";
        for (size_t i = 0; i < node.needs.size(); ++i)
          std::cout << (i ? ", " : " ") << plan.graph.node(node.needs[i]).name;
        std::cout << ")";
      }
      std::cout << "\n";
      if (args.explain)
        for (const auto& r : status[id].reasons) std::cout << "      " << r << "\n";
    }
  }
  std::cout << "critical path:";
  for (size_t i = 0; i < critical.size(); ++i)
    std::cout << (i ? " → " : " ") << plan.graph.node(critical[i]).name;
  std::cout << "\n";
  // Images built for several platforms are joined in an OCI index after their targets.
  for (const auto& index : plan.indexes) {
    std::cout << "index " << index.image << ":";
    for (size_t i = 0; i < index.members.size(); ++i)
      std::cout << (i ? ", " : " ") << plan.specs[index.members[i]].platform.str();
    std::cout << "\n";
  }
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("plan", "Show the build DAG: phases, critical path, cache state");
  auto args = std::make_shared<PlanArgs>();
  cmd->add_option("TARGET", args->targets, "targets (default: all)");
  cmd->add_option("--platform", args->platforms, "os/arch[,os/arch] (default: the manifest's)");
  AddFormatOption(cmd, &args->format, "text, json or dot");
  cmd->add_option("--backend", args->backend,
                  "what `build` will RUN stages with (an input of their keys): native (default; "
                  "buildah where native RUN cannot run), buildah, podman, docker-buildx or none");
  cmd->add_flag("--explain", args->explain, "say which input changed for each target to build");
  args->overrides.AddTo(*cmd);
  cmd->callback([&global, args] { global.exit_code = Plan(global, *args); });
}

const bool kRegistered = RegisterCommand(15, Setup);

}  // namespace
}  // namespace plinth::cli
