#include "plan/build_plan.h"

#include <algorithm>

#include "fleet/problem_list.h"
#include "oci/reference.h"
#include "util/ascii.h"
#include "util/fs.h"

namespace plinth::plan {
namespace {

std::string TargetName(const std::string& name, const oci::Platform& platform) {
  return name + "@" + platform.str();
}

std::string Familiar(const std::string& ref) {
  auto r = oci::Reference::Parse(ref);
  return r ? r->Familiar() : ref;
}

// The .dockerignore in force for a Dockerfile target, and its path relative to `fleet_dir`.
Status LoadIgnore(const std::string& fleet_dir, TargetSpec* spec) {
  // BuildKit reads <Dockerfile>.dockerignore first, then the context's .dockerignore.
  for (const std::string& path : {spec->dockerfile + ".dockerignore", spec->context + "/.dockerignore"}) {
    if (!PathExists(path)) continue;
    PLINTH_TRY(std::string text, ReadFile(path));
    auto ignore = dockerfile::DockerIgnore::Parse(text);
    if (!ignore) return ignore.error().Context("reading " + path);
    spec->ignore = std::make_shared<const dockerfile::DockerIgnore>(std::move(*ignore));
    spec->ignore_file = path.rfind(fleet_dir + "/", 0) == 0 ? path.substr(fleet_dir.size() + 1) : path;
    return Ok{};
  }
  PLINTH_TRY(auto none, dockerfile::DockerIgnore::Parse(""));
  spec->ignore = std::make_shared<const dockerfile::DockerIgnore>(std::move(none));
  return Ok{};
}

}  // namespace

Result<std::map<std::string, std::string>> ParseBuildArgs(const std::vector<std::string>& flags) {
  std::map<std::string, std::string> args;
  for (const auto& flag : flags) {
    size_t eq = flag.find('=');
    if (eq == std::string::npos || eq == 0)
      return InvalidInput("--build-arg '" + flag + "': give NAME=VALUE");
    args[flag.substr(0, eq)] = flag.substr(eq + 1);
  }
  return args;
}

namespace {

// Whether the command line names this target (or this platform of it).
bool Named(const PlanOptions& options, const std::string& name, const oci::Platform& platform) {
  for (const auto& n : options.targets)
    if (n == name || n == TargetName(name, platform)) return true;
  return false;
}

// The Dockerfile's stages, with `stage` (--target) as the target when one is asked for: a stage
// that is not there is an error naming the likeliest one (exit 2), where the stage graph's own
// error names none.
Result<dockerfile::StageGraph> LoadStages(const std::string& path,
                                          dockerfile::StageGraphOptions options,
                                          const std::string& stage) {
  PLINTH_TRY(dockerfile::StageGraph graph, dockerfile::LoadStageGraph(path, options));
  if (stage.empty()) return graph;
  std::vector<std::string> names;
  for (const auto& s : graph.stages())
    if (!s.name.empty()) names.push_back(s.name);
  if (std::find(names.begin(), names.end(), AsciiLower(stage)) == names.end()) {
    std::string near = fleet::DidYouMean(AsciiLower(stage), names);
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    return InvalidInput("--target '" + stage + "': no stage of that name" +
                            (near.empty() ? "" : "; did you mean '" + near + "'?") +
                            (known.empty() ? " (its stages have no names: add `AS NAME`)"
                                           : " (its stages: " + known + ")"),
                        Location{path});
  }
  options.target = stage;
  return dockerfile::LoadStageGraph(path, options);
}

// distroless publishes `:nonroot` variants of each image (nonroot, debug-nonroot,
// nonroot-arm64) with USER 65532.
std::string UpstreamUser(const std::string& reference) {
  auto ref = oci::Reference::Parse(reference);
  return ref && ref->tag().find("nonroot") != std::string::npos ? "65532" : "";
}

}  // namespace

Result<BuildPlan> MakePlan(const fleet::Fleet& fleet, const PlanOptions& options) {
  if (!options.target_stage.empty() && options.targets.size() != 1)
    return InvalidInput("--target '" + options.target_stage + "' builds a stage of one target: name exactly one "
                        "target (" + std::to_string(options.targets.size()) + " named)");
  BuildPlan plan;
  std::map<std::string, TargetId> by_image;  // familiar store name → target

  auto add_spec = [&](TargetSpec spec) -> Result<TargetId> {
    PLINTH_TRY(TargetId id, plan.graph.Add(TargetName(spec.name, spec.platform)));
    by_image[Familiar(spec.image)] = id;
    plan.specs.push_back(std::move(spec));
    return id;
  };

  // Every fleet target × platform.
  for (const fleet::Target* t : fleet.Targets()) {
    std::vector<std::string> platforms = options.platforms;
    if (platforms.empty()) platforms = fleet.PlatformsOf(*t);
    for (const auto& p : platforms) {
      PLINTH_TRY(oci::Platform platform, oci::Platform::Parse(p));
      TargetSpec spec;
      spec.target = t;
      spec.name = t->name;
      spec.platform = platform;
      PLINTH_TRY(spec.image, fleet.ImageFor(*t, p));
      spec.image = Familiar(spec.image);
      for (const auto& [k, v] : t->build_args) spec.build_args[k] = v;
      bool named = Named(options, t->name, platform);
      if (named || options.targets.empty())
        for (const auto& [k, v] : options.build_args) spec.build_args[k] = v;
      if (named) spec.target_stage = options.target_stage;
      if (!t->recipe.empty()) {
        if (!spec.target_stage.empty())
          return InvalidInput("--target '" + spec.target_stage + "': " + t->name +
                              " is built from a Debian recipe, which has no stages");
        spec.source = TargetSource::kRecipe;
        spec.recipe = fleet.dir + "/" + t->recipe;
      } else {
        spec.dockerfile = fleet.DockerfilePath(*t);
        spec.context = fleet.ContextPath(*t);
        PLINTH_TRY(auto bp, dockerfile::BuildPlatform::Parse(p));
        dockerfile::StageGraphOptions graph_options{.build_args = spec.build_args,
                                                    .target_platform = bp};
        auto graph = LoadStages(spec.dockerfile, graph_options, spec.target_stage);
        if (!graph) return graph.error().Context("planning " + t->name);
        spec.stages = std::make_shared<const dockerfile::StageGraph>(std::move(*graph));
        PLINTH_CHECK(LoadIgnore(fleet.dir, &spec));
      }
      PLINTH_TRY(TargetId added, add_spec(std::move(spec)));
      (void)added;
    }
  }

  // Edges from the Dockerfiles; upstream images with a recipe become targets of their own.
  size_t fleet_targets = plan.specs.size();
  for (TargetId id = 0; id < fleet_targets; ++id) {
    if (plan.specs[id].source != TargetSource::kDockerfile) continue;
    const auto stages = plan.specs[id].stages;
    const oci::Platform platform = plan.specs[id].platform;
    for (const auto& stage : stages->stages()) {
      for (const auto& edge : stage.edges) {
        if (edge.ref.kind != dockerfile::RefKind::kImage) continue;
        std::string ref = edge.ref.image;
        std::string why = std::string(edge.kind == dockerfile::EdgeKind::kFrom ? "FROM " :
                                      edge.kind == dockerfile::EdgeKind::kCopyFrom ? "COPY --from=" :
                                      "RUN --mount from=") + ref;
        if (const auto* base = fleet.BaseForImage(ref, platform.str())) {
          PLINTH_TRY(std::string image, fleet.ImageFor(*base, platform.str()));
          auto it = by_image.find(Familiar(image));
          if (it != by_image.end()) {
            plan.graph.AddNeed(id, it->second, why);
            plan.specs[id].fleet_images[ref] = it->second;
            continue;
          }
        }
        if (auto it = by_image.find(Familiar(ref)); it != by_image.end()) {
          plan.graph.AddNeed(id, it->second, why);
          plan.specs[id].fleet_images[ref] = it->second;
          continue;
        }
        const fleet::Upstream* upstream = fleet.UpstreamFor(ref);
        if (upstream && upstream->kind == fleet::UpstreamKind::kRecipe) {
          PLINTH_TRY(std::string image, fleet.RecipeImageFor(ref, platform.str()));
          auto it = by_image.find(Familiar(image));
          TargetId dep;
          if (it != by_image.end()) {
            dep = it->second;
          } else {
            TargetSpec spec;
            spec.source = TargetSource::kUpstreamRecipe;
            spec.name = Familiar(ref);
            spec.platform = platform;
            spec.image = image;
            spec.recipe = fleet.dir + "/" + upstream->recipe;
            spec.user = UpstreamUser(ref);
            PLINTH_TRY(dep, add_spec(std::move(spec)));
          }
          plan.graph.AddNeed(id, dep, why);
          plan.specs[id].fleet_images[ref] = dep;
          continue;
        }
        auto& ext = plan.specs[id].external_images;
        if (std::find(ext.begin(), ext.end(), ref) == ext.end()) ext.push_back(ref);
      }
    }
  }

  // Declared needs.
  for (TargetId id = 0; id < fleet_targets; ++id) {
    const auto& spec = plan.specs[id];
    for (const auto& need : spec.target->needs) {
      auto dep = plan.graph.Find(TargetName(need, spec.platform));
      if (!dep) {
        if (const auto* t = fleet.FindTarget(need)) {
          auto ps = fleet.PlatformsOf(*t);
          if (!ps.empty()) dep = plan.graph.Find(TargetName(need, *oci::Platform::Parse(ps[0])));
        }
      }
      if (dep) plan.graph.AddNeed(id, *dep, "needs: " + need);
    }
  }
  PLINTH_CHECK(plan.graph.CheckAcyclic());

  // Selection.
  std::vector<TargetId> roots;
  if (options.targets.empty()) {
    for (TargetId id = 0; id < plan.specs.size(); ++id) roots.push_back(id);
  } else {
    for (const auto& name : options.targets) {
      bool found = false;
      for (TargetId id = 0; id < plan.specs.size(); ++id) {
        if (plan.specs[id].name == name || plan.graph.node(id).name == name) {
          roots.push_back(id);
          found = true;
        }
      }
      if (!found) {
        std::string known;
        for (const auto* t : fleet.Targets()) known += (known.empty() ? "" : ", ") + t->name;
        return InvalidInput("no target named '" + name + "' in " + fleet.path + " (targets: " +
                            known + ")");
      }
    }
  }
  plan.selected = plan.graph.Closure(roots);

  // Multi-platform indexes, in manifest order.
  for (const fleet::Target* t : fleet.Targets()) {
    PlatformIndexSpec index;
    index.name = t->name;
    for (TargetId id : plan.selected)
      if (plan.specs[id].target == t) index.members.push_back(id);
    if (index.members.size() < 2) continue;
    std::sort(index.members.begin(), index.members.end(), [&](TargetId a, TargetId b) {
      return plan.specs[a].platform < plan.specs[b].platform;
    });
    PLINTH_TRY(index.image, fleet.IndexFor(*t));
    index.image = Familiar(index.image);
    plan.indexes.push_back(std::move(index));
  }
  return plan;
}

}  // namespace plinth::plan
