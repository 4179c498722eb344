#include "lint/base_facts.h"

#include "fleet/base_pattern.h"
#include "lint/dockerfile_view.h"
#include "util/fs.h"

namespace plinth::lint {
namespace {

ViewOptions ViewFor(const fleet::Target& target, const std::string& platform) {
  ViewOptions o;
  o.platform = platform;
  o.build_args = target.build_args;
  return o;
}

}  // namespace

std::map<std::string, BaseFacts> FactsOfBases(const fleet::Fleet& fleet, const std::string& platform) {
  std::map<std::string, BaseFacts> facts;
  for (const auto& base : fleet.bases) {
    BaseFacts f;
    if (!base.recipe.empty()) {
      f.shell_less = f.nonroot = true;  // Debian recipes make distroless-style, non-root images
      facts[base.name] = f;
      continue;
    }
    auto content = ReadFile(fleet.DockerfilePath(base));
    if (!content) continue;
    auto view = ViewDockerfile(*content, fleet.DockerfilePath(base), ViewFor(base, platform));
    if (!view || !view->runtime() || !view->runtime()->from) continue;
    const LintStage* s = view->runtime();
    while (s->parent >= 0) s = &view->stages[s->parent];
    std::string image = s->base;
    f.upstream = image;
    f.upstream_written = s->base_written;
    std::string tag = image.substr(fleet::RepositoryOf(image).size());
    if (const fleet::Target* under = fleet.BaseForImage(image, platform); under && facts.count(under->name)) {
      f = facts[under->name];
    } else {
      const fleet::Upstream* upstream = fleet.UpstreamFor(image);
      bool distroless = fleet::GlobMatch("gcr.io/distroless/*", fleet::RepositoryOf(image)) &&
                        tag.find("debug") == std::string::npos;
      f.shell_less = distroless || (upstream && upstream->kind == fleet::UpstreamKind::kRecipe);
      f.nonroot = distroless && tag.find("nonroot") != std::string::npos;
    }
    for (const auto& ins : view->runtime()->instructions) {
      if (ins.kind != dockerfile::InstructionKind::kUser || ins.args.empty()) continue;
      std::string name = ins.args[0].substr(0, ins.args[0].find(':'));
      f.nonroot = name == "65532" || name == "nonroot";
    }
    facts[base.name] = f;
  }
  return facts;
}

}  // namespace plinth::lint
