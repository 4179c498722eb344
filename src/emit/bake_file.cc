#include "emit/bake_file.h"

#include <filesystem>
#include <map>
#include <set>

#include "emit/registry_host.h"
#include "oci/reference.h"

namespace plinth::emit {
namespace {

std::string Relative(const std::string& path, const std::string& base) {
  std::string r = std::filesystem::path(path).lexically_normal()
                      .lexically_relative(std::filesystem::path(base).lexically_normal())
                      .generic_string();
  return r.empty() ? "." : r;
}

// The cache of one image in `registry`, under the image's own repository path.
Result<std::string> CacheRef(const std::string& registry, const std::string& image) {
  PLINTH_TRY(oci::Reference ref, oci::Reference::Parse(image));
  return registry + "/" + ref.path() + ":buildcache";
}

}  // namespace

Result<nlohmann::json> BakeFile(const fleet::Fleet& fleet, const plan::BuildPlan& plan,
                                const ImageGraph& graph, const BakeOptions& options) {
  if (!options.registry.empty()) PLINTH_CHECK(CheckRegistryHost(options.registry));
  // Group names first, so that no target can take "default" or a phase's name.
  IdentifierSet ids;
  ids.Add("default");
  auto phases = graph.Phases();
  for (size_t p = 0; p < phases.size(); ++p) ids.Add("phase-" + std::to_string(p));

  // Targets of the plan by name, to read each image's specs on every platform.
  std::map<std::string, std::vector<plan::TargetId>> specs_of;
  for (plan::TargetId id : plan.selected) specs_of[plan.specs[id].name].push_back(id);

  std::vector<std::string> bake_name(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    if (graph.nodes[i].source == plan::TargetSource::kDockerfile)
      bake_name[i] = ids.Add(graph.nodes[i].name);

  nlohmann::json targets = nlohmann::json::object();
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const ImageNode& node = graph.nodes[i];
    if (bake_name[i].empty()) continue;
    const fleet::Target& t = *node.target;
    nlohmann::json target;
    std::string context = fleet.ContextPath(t);
    target["context"] = Relative(context, fleet.dir);
    target["dockerfile"] = Relative(fleet.DockerfilePath(t), context);
    target["platforms"] = node.platforms;
    // One image for every platform: under its multi-platform name when there are several.
    std::string tag;
    if (node.platforms.size() > 1) {
      PLINTH_TRY(tag, fleet.IndexFor(t));
    } else {
      PLINTH_TRY(tag, fleet.ImageFor(t, node.platforms.front()));
    }
    target["tags"] = {tag};
    nlohmann::json args = nlohmann::json::object();
    nlohmann::json contexts = nlohmann::json::object();
    for (plan::TargetId id : specs_of[node.name]) {
      const plan::TargetSpec& spec = plan.specs[id];
      for (const auto& [k, v] : spec.build_args) args[k] = v;
      for (const auto& [ref, dep] : spec.fleet_images) {
        const plan::TargetSpec& needed = plan.specs[dep];
        if (needed.source != plan::TargetSource::kDockerfile) continue;
        for (size_t j = 0; j < graph.nodes.size(); ++j)
          if (graph.nodes[j].name == needed.name) contexts[ref] = "target:" + bake_name[j];
      }
    }
    if (!args.empty()) target["args"] = args;
    if (!contexts.empty()) target["contexts"] = contexts;
    if (!options.registry.empty()) {
      PLINTH_TRY(std::string cache, CacheRef(options.registry, tag));
      target["cache-from"] = {"type=registry,ref=" + cache};
      target["cache-to"] = {"type=registry,ref=" + cache + ",mode=max"};
    }
    targets[bake_name[i]] = std::move(target);
  }

  nlohmann::json groups = nlohmann::json::object();
  nlohmann::json all = nlohmann::json::array();
  // Phases numbered from 0 over the bake targets: a phase of recipe images only is no group.
  size_t n = 0;
  for (const auto& phase : phases) {
    nlohmann::json members = nlohmann::json::array();
    for (size_t i : phase)
      if (!bake_name[i].empty()) members.push_back(bake_name[i]);
    if (members.empty()) continue;
    groups["phase-" + std::to_string(n++)] = {{"targets", members}};
    for (const auto& m : members) all.push_back(m);
  }
  groups["default"] = {{"targets", all}};
  return nlohmann::json{{"group", groups}, {"target", targets}};
}

}  // namespace plinth::emit
