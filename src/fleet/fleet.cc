#include "fleet/fleet.h"

#include <algorithm>

#include "fleet/tag_template.h"
#include "oci/reference.h"

namespace plinth::fleet {
namespace {

std::string Normalised(const std::string& reference) {
  auto parsed = oci::Reference::Parse(reference);
  return parsed ? parsed->str() : reference;
}

std::string JoinPath(const std::string& dir, const std::string& rel) {
  if (rel.empty()) return "";
  if (rel.front() == '/') return rel;
  if (rel == ".") return dir;
  if (dir == ".") return rel;
  return dir + "/" + rel;
}

// Images of a fleet on another registry than Docker Hub carry its host, as docker would read
// the reference; a template that already names it is left alone.
std::string QualifiedWithRegistry(const std::string& registry, std::string image) {
  if (!registry.empty() && registry != "docker.io" && !image.starts_with(registry + "/"))
    image = registry + "/" + image;
  return image;
}

}  // namespace

Location Target::LocationOf(const std::string& field) const {
  auto it = field_locations.find(field);
  return it == field_locations.end() ? location : it->second;
}

const Target* Fleet::FindTarget(const std::string& name) const {
  for (const auto& t : bases)
    if (t.name == name) return &t;
  for (const auto& t : services)
    if (t.name == name) return &t;
  return nullptr;
}

const Target* Fleet::FindBase(const std::string& name) const {
  for (const auto& t : bases)
    if (t.name == name) return &t;
  return nullptr;
}

const Tier* Fleet::TierOf(const Target& target) const {
  auto it = tiers.find(target.tier);
  return it == tiers.end() ? nullptr : &it->second;
}

const Group* Fleet::GroupOf(const Target& target) const {
  auto it = groups.find(target.group);
  return it == groups.end() ? nullptr : &it->second;
}

std::vector<const Target*> Fleet::Targets() const {
  std::vector<const Target*> out;
  for (const auto& t : bases) out.push_back(&t);
  for (const auto& t : services) out.push_back(&t);
  return out;
}

const std::vector<std::string>& Fleet::PlatformsOf(const Target& target) const {
  return target.platforms.empty() ? platforms : target.platforms;
}

Result<std::string> Fleet::ImageFor(const Target& target, const std::string& platform) const {
  PLINTH_TRY(auto p, oci::Platform::Parse(platform));
  TemplateValues values{registry, name_space, target.name, p.os, p.architecture, p.variant};
  const std::string& text = target.image.empty() ? image_template : target.image;
  PLINTH_TRY(auto image, ExpandTemplate(text, values));
  image = QualifiedWithRegistry(registry, std::move(image));
  return image;
}

Result<std::string> Fleet::RecipeImageFor(const std::string& reference,
                                          const std::string& platform) const {
  PLINTH_TRY(auto p, oci::Platform::Parse(platform));
  PLINTH_TRY(auto ref, oci::Reference::Parse(reference));
  std::string name = ref.domain() + "-" + ref.path();
  for (char& c : name)
    if (c == '.' || c == '/' || c == ':') c = '-';
  TemplateValues values{registry, name_space, name, p.os, p.architecture, p.variant};
  values.tag = ref.tag().empty() ? "latest" : ref.tag();
  PLINTH_TRY(auto image, ExpandTemplate(recipe_image_template, values));
  image = QualifiedWithRegistry(registry, std::move(image));
  if (!oci::Reference::Parse(image))
    return InvalidInput("upstream.recipe_image \"" + recipe_image_template + "\" gives \"" + image +
                            "\" for " + reference + ", which is not an image reference",
                        recipe_image_location);
  return image;
}

std::string Fleet::IndexTemplateOf(const Target& target) const {
  if (!target.index.empty()) return target.index;
  if (!target.image.empty()) return PlatformFreeTemplate(target.image);
  if (!index_template.empty()) return index_template;
  return PlatformFreeTemplate(image_template);
}

Result<std::string> Fleet::IndexFor(const Target& target) const {
  TemplateValues values{registry, name_space, target.name, "", "", ""};
  PLINTH_TRY(auto image, ExpandTemplate(IndexTemplateOf(target), values));
  image = QualifiedWithRegistry(registry, std::move(image));
  return image;
}

const Target* Fleet::BaseForImage(const std::string& reference, const std::string& platform) const {
  std::string wanted = Normalised(reference);
  for (const auto& base : bases) {
    auto image = ImageFor(base, platform);
    if (image && Normalised(*image) == wanted) return &base;
  }
  return nullptr;
}

const Upstream* Fleet::UpstreamFor(const std::string& reference) const {
  for (const auto& u : upstream) {
    if (ImageGlobMatches(u.pattern, reference)) return &u;
  }
  return nullptr;
}

std::string Fleet::DockerfilePath(const Target& target) const {
  return JoinPath(dir, target.dockerfile);
}

std::string Fleet::ContextPath(const Target& target) const {
  return JoinPath(dir, target.context.empty() ? "." : target.context);
}

std::vector<std::pair<int, std::vector<const Target*>>> Fleet::Phases() const {
  std::map<int, std::vector<const Target*>> by_phase;
  for (const Target* t : Targets()) {
    const Group* g = GroupOf(*t);
    by_phase[g ? g->phase : 0].push_back(t);
  }
  return {by_phase.begin(), by_phase.end()};
}

bool Fleet::BuiltFor(const Target& target, const oci::Platform& platform) const {
  const auto& platforms = PlatformsOf(target);
  return std::any_of(platforms.begin(), platforms.end(), [&](const std::string& p) {
    auto parsed = oci::Platform::Parse(p);
    return parsed && *parsed == platform;
  });
}

bool IsComposeName(std::string_view name) {
  auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
  };
  return !name.empty() && std::all_of(name.begin(), name.end(), ok) && name[0] != '.' &&
         name[0] != '-' && name[0] != '_';
}

}  // namespace plinth::fleet
