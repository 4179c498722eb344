#include "fleet/manifest_validator.h"

#include <stdlib.h>

#include <algorithm>
#include <functional>
#include <set>

#include "fleet/tag_template.h"
#include "fleet/tier_policy.h"
#include "oci/platform.h"
#include "oci/reference.h"
#include "util/fs.h"
#include "util/safe_path.h"

namespace plinth::fleet {
namespace {

template <typename Map>
std::vector<std::string> Keys(const Map& map) {
  std::vector<std::string> out;
  for (const auto& [k, v] : map) out.push_back(k);
  return out;
}

std::string Suggest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string guess = DidYouMean(word, candidates);
  return guess.empty() ? "" : "; did you mean \"" + guess + "\"?";
}

// The path fields of plinth.yaml, which `allow_outside` may name.
const std::vector<std::string> kPathFields = {"dockerfile", "context", "recipe"};

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string RealPath(const std::string& path) {
  char* real = realpath(path.c_str(), nullptr);
  if (!real) return "";
  std::string out(real);
  free(real);
  return out;
}

// Why `rel`, a path field's value, leads outside the fleet's folder `root`, or "" when it stays
// inside. Lexically first (absolute, or `..` above the folder); then, when `resolve`, on disk:
// the deepest part of the path that exists, symlinks resolved, must be the folder or in it.
std::string OutsideReason(const std::string& root, const std::string& rel, bool resolve) {
  if (!rel.empty() && rel.front() == '/') return "is an absolute path";
  if (!StrictRelative(rel)) return "climbs out of the folder of plinth.yaml with \"..\"";
  if (!resolve) return "";
  const std::string real_root = RealPath(root);
  if (real_root.empty()) return "";  // no folder on disk (a manifest given as text)
  std::string part = CleanPath(rel);
  for (;;) {
    std::string real = RealPath(part == "." ? root : root + "/" + part);
    if (!real.empty()) {
      if (real == real_root || real.rfind(real_root == "/" ? "/" : real_root + "/", 0) == 0)
        return "";
      return "leads through a symbolic link to " + real + ", outside the folder of plinth.yaml";
    }
    if (part == ".") return "";
    auto slash = part.rfind('/');
    part = slash == std::string::npos ? "." : part.substr(0, slash);
  }
}

std::string What(const Target& t) {
  return std::string(t.kind == TargetKind::kBase ? "base" : "service") + " \"" + t.name + "\"";
}

class Validator {
 public:
  Validator(const Fleet& fleet, FileChecks checks, ProblemList* problems)
      : fleet_(fleet), checks_(checks), problems_(problems) {
    for (const Target* t : fleet.Targets()) names_.push_back(t->name);
    for (const auto& b : fleet.bases) base_names_.push_back(b.name);
    for (const auto& s : fleet.services) service_names_.push_back(s.name);
  }

  void Run() {
    Location top{fleet_.path, 1, 1};
    if (fleet_.name_space.empty()) problems_->Add(top, "plinth.yaml: \"namespace\" is required");
    for (const auto& p : fleet_.platforms) {
      if (!oci::Platform::Parse(p)) problems_->Add(top, "platforms: \"" + p + "\" is not os/arch[/variant]");
    }
    if (!fleet_.index_template.empty())
      CheckIndexTemplate(fleet_.index_template, fleet_.index_location, "index");
    for (const auto& [name, tier] : fleet_.tiers) CheckTier(tier);
    std::set<std::string> seen;
    for (const Target* t : fleet_.Targets()) {
      if (!seen.insert(t->name).second)
        problems_->Add(t->location, What(*t) + ": the name \"" + t->name +
                                        "\" is used by a base and a service");
      CheckTarget(*t);
    }
    for (const Upstream& u : fleet_.upstream) {
      const std::string what = "upstream image \"" + u.pattern + "\"";
      CheckAllowOutside(u.allow_outside, {"recipe"}, u.allow_outside_location, what);
      CheckPath("recipe", u.recipe, u.recipe_location, u.allow_outside, what);
    }
    CheckRecipeImageTemplate();
    CheckImagesUnique();
    CheckCycles("needs", [](const Target& t) {
      std::vector<std::string> edges = t.needs;
      return edges;
    }, /*with_bases=*/true);
    CheckCycles("depends_on", [](const Target& t) { return t.depends_on; }, false);
  }

 private:
  void CheckTier(const Tier& tier) {
    for (const auto& a : tier.allow) {
      for (const auto& d : tier.deny) {
        if (a.text == d.text)
          problems_->Add(d.location, "tier \"" + tier.name + "\": \"" + d.text +
                                         "\" is both allowed and denied (a contradiction in the policy)");
      }
    }
    for (const auto* list : {&tier.allow, &tier.deny}) {
      for (const auto& p : *list) {
        if (p.kind != PatternKind::kFleetBase || p.pattern.find_first_of("*?") != std::string::npos)
          continue;
        if (!fleet_.FindBase(p.pattern))
          problems_->Add(p.location, "tier \"" + tier.name + "\": unknown fleet base \"" + p.pattern +
                                         "\"" + Suggest(p.pattern, base_names_));
      }
    }
  }

  // A path field must stay inside the fleet's folder unless allow_outside names it.
  void CheckPath(const std::string& field, const std::string& value, const Location& where,
                 const std::vector<std::string>& allowed, const std::string& what,
                 const std::string& note = "") {
    if (value.empty() || Contains(allowed, field)) return;
    std::string reason =
        OutsideReason(fleet_.dir, value, checks_ == FileChecks::kCheckFilesExist);
    if (reason.empty()) return;
    problems_->Add(where, what + ": " + field + " \"" + value + "\"" + note + " " + reason +
                              "; paths must stay inside the fleet's folder, or list \"" + field +
                              "\" in this entry's allow_outside to allow it");
  }

  void CheckAllowOutside(const std::vector<std::string>& allowed,
                         const std::vector<std::string>& fields, const Location& where,
                         const std::string& what) {
    for (const auto& f : allowed) {
      if (!Contains(fields, f))
        problems_->Add(where, what + " allow_outside: \"" + f + "\" is not a path field (" +
                                  Join(fields) + ")" + Suggest(f, fields));
    }
  }

  void CheckPaths(const Target& t) {
    const std::string what = What(t);
    std::vector<std::string> fields = kPathFields;
    if (t.kind == TargetKind::kService) fields.pop_back();  // no recipe
    CheckAllowOutside(t.allow_outside, fields, t.LocationOf("allow_outside"), what);
    CheckPath("dockerfile", t.dockerfile, t.LocationOf("dockerfile"), t.allow_outside, what);
    CheckPath("recipe", t.recipe, t.LocationOf("recipe"), t.allow_outside, what);
    // A context not given is the Dockerfile's folder: it is found at the dockerfile field.
    const bool derived = !t.field_locations.count("context");
    CheckPath("context", t.context, t.LocationOf(derived ? "dockerfile" : "context"),
              t.allow_outside, what, derived ? " (the Dockerfile's folder)" : "");
  }

  void CheckTarget(const Target& t) {
    const std::string what = What(t);
    if (t.kind == TargetKind::kBase) {
      if (t.dockerfile.empty() == t.recipe.empty())
        problems_->Add(t.location, what + ": give exactly one of \"dockerfile\" or \"recipe\"");
    } else if (t.dockerfile.empty()) {
      problems_->Add(t.location, what + ": \"dockerfile\" is required");
    }
    CheckPaths(t);
    if (checks_ == FileChecks::kCheckFilesExist) {
      if (!t.dockerfile.empty() && !PathExists(fleet_.DockerfilePath(t)))
        problems_->Add(t.LocationOf("dockerfile"), what + ": Dockerfile \"" + t.dockerfile + "\" does not exist");
      if (!t.dockerfile.empty() && !IsDirectory(fleet_.ContextPath(t)))
        problems_->Add(t.LocationOf("context"), what + ": build context \"" + t.context + "\" is not a folder");
    }
    if (t.kind == TargetKind::kService) {
      if (t.tier.empty()) {
        problems_->Add(t.location, what + ": \"tier\" is required (one of the tiers: " + Join(Keys(fleet_.tiers)) + ")");
      } else if (!fleet_.tiers.count(t.tier)) {
        problems_->Add(t.LocationOf("tier"), what + ": unknown tier \"" + t.tier + "\"" + Suggest(t.tier, Keys(fleet_.tiers)));
      }
      if (t.group.empty())
        problems_->Add(t.location, what + ": \"group\" is required (one of the groups: " + Join(Keys(fleet_.groups)) + ")");
    }
    if (!t.group.empty() && !fleet_.groups.count(t.group))
      problems_->Add(t.LocationOf("group"), what + ": unknown group \"" + t.group + "\"" + Suggest(t.group, Keys(fleet_.groups)));
    for (const auto& n : t.needs) {
      if (n == t.name) problems_->Add(t.LocationOf("needs." + n), what + " needs itself");
      else if (!fleet_.FindTarget(n))
        problems_->Add(t.LocationOf("needs." + n), what + ": needs unknown target \"" + n + "\"" + Suggest(n, names_));
    }
    for (const auto& n : t.depends_on) {
      bool is_service = false;
      for (const auto& s : fleet_.services) is_service = is_service || s.name == n;
      if (n == t.name) problems_->Add(t.LocationOf("depends_on." + n), what + " depends on itself");
      else if (!is_service)
        problems_->Add(t.LocationOf("depends_on." + n), what + ": depends on unknown service \"" + n + "\"" + Suggest(n, service_names_));
    }
    for (const auto& p : t.platforms) {
      if (!oci::Platform::Parse(p)) problems_->Add(t.LocationOf("platforms"), what + ": platform \"" + p + "\" is not os/arch[/variant]");
    }
    CheckTemplate(t);
    if (!t.index.empty()) CheckIndexTemplate(t.index, t.LocationOf("index"), What(t) + " index");
    if (t.kind == TargetKind::kService && !t.base.empty()) CheckDeclaredBase(t);
    CheckVolumes(t);
  }

  // A volume is named in the compose file as given, so the name must be one compose accepts
  // (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`), and it is mounted at an absolute path without `..`.
  void CheckVolumes(const Target& t) {
    for (const auto& [name, path] : t.volumes) {
      if (!IsComposeName(name))
        problems_->Add(t.LocationOf("volumes"), What(t) + ": volume name \"" + name +
                                                    "\" is not [a-zA-Z0-9][a-zA-Z0-9_.-]*");
      bool climbs = path.find("/../") != std::string::npos || path.ends_with("/..");
      if (!path.starts_with("/") || climbs || path.find(':') != std::string::npos)
        problems_->Add(t.LocationOf("volumes"), What(t) + ": volume \"" + name +
                                                    "\" must mount at an absolute path without .. or ':', found \"" + path + "\"");
    }
  }

  void CheckTemplate(const Target& t) {
    const std::string& text = t.image.empty() ? fleet_.image_template : t.image;
    Location where = t.image.empty() ? Location{fleet_.path, 1, 1} : t.LocationOf("image");
    auto names = TemplatePlaceholders(text);
    if (!names) {
      problems_->Add(where, What(t) + ": " + names.error().message());
      return;
    }
    std::set<std::string> used(names->begin(), names->end());
    if (fleet_.PlatformsOf(t).size() > 1 && !used.count("arch") && !used.count("platform"))
      problems_->Add(where, What(t) + ": image template \"" + text +
                                "\" has no {arch}, so its platforms would share one image name");
    if (used.count("tag"))
      problems_->Add(where, What(t) + ": image template \"" + text +
                                "\" uses {tag}, which only upstream.recipe_image has");
  }

  // Every upstream image a recipe stands in for, in every tag and platform, needs a name of
  // its own.
  void CheckRecipeImageTemplate() {
    const std::string& text = fleet_.recipe_image_template;
    Location where = fleet_.recipe_image_location.empty() ? Location{fleet_.path, 1, 1}
                                                          : fleet_.recipe_image_location;
    auto names = TemplatePlaceholders(text);
    if (!names) {
      problems_->Add(where, "upstream.recipe_image: " + names.error().message());
      return;
    }
    std::set<std::string> used(names->begin(), names->end());
    for (const char* needed : {"name", "tag"})
      if (!used.count(needed))
        problems_->Add(where, std::string("upstream.recipe_image \"") + text + "\" has no {" + needed +
                                  "}, so two upstream images would share one name");
    if (!used.count("arch") && !used.count("platform"))
      problems_->Add(where, "upstream.recipe_image \"" + text +
                                "\" has no {arch}, so its platforms would share one image name");
  }

  // An index names every platform of an image at once: no per-platform placeholder.
  void CheckIndexTemplate(const std::string& text, const Location& where, const std::string& what) {
    auto names = TemplatePlaceholders(text);
    if (!names) {
      problems_->Add(where, what + ": " + names.error().message());
      return;
    }
    for (const auto& n : *names) {
      if (n == "arch" || n == "platform" || n == "variant" || n == "os")
        problems_->Add(where, what + ": \"" + text + "\" uses {" + n +
                                  "}, but an index names the image of every platform at once");
    }
  }

  // Where a target's index name comes from, for messages about it.
  Location IndexLocation(const Target& t) const {
    if (!t.index.empty()) return t.LocationOf("index");
    if (!t.image.empty()) return t.LocationOf("image");
    if (!fleet_.index_template.empty()) return fleet_.index_location;
    return Location{fleet_.path, 1, 1};
  }

  void CheckDeclaredBase(const Target& t) {
    const Target* fleet_base = fleet_.FindBase(t.base);
    Location where = t.LocationOf("base");
    std::string reference = t.base;
    if (!fleet_base) {
      bool looks_like_image = t.base.find_first_of("/:.@") != std::string::npos;
      if (!looks_like_image || !oci::Reference::Parse(t.base)) {
        problems_->Add(where, What(t) + ": base \"" + t.base +
                                  "\" is neither a base of this fleet nor an image reference" +
                                  Suggest(t.base, base_names_));
        return;
      }
    } else if (!fleet_.platforms.empty()) {
      if (auto image = fleet_.ImageFor(*fleet_base, fleet_.PlatformsOf(t).front())) reference = *image;
    }
    const Tier* tier = fleet_.TierOf(t);
    if (!tier) return;
    PolicyDecision d = CheckRuntimeBase(*tier, reference, fleet_base);
    if (d.verdict == BaseVerdict::kDenied) {
      problems_->Add(where, What(t) + ": tier \"" + tier->name + "\" and base \"" + t.base +
                                "\" disagree: the tier denies \"" + d.pattern->text + "\" (at " +
                                d.pattern->location.ToString() + ")");
    } else if (d.verdict == BaseVerdict::kNotAllowed) {
      problems_->Add(where, What(t) + ": tier \"" + tier->name + "\" and base \"" + t.base +
                                "\" disagree: the tier allows only " + DescribeAllowList(*tier));
    }
  }

  void CheckImagesUnique() {
    std::map<std::string, const Target*> owners;
    for (const Target* t : fleet_.Targets()) {
      for (const auto& p : fleet_.PlatformsOf(*t)) {
        auto image = fleet_.ImageFor(*t, p);
        if (!image) continue;
        auto [it, inserted] = owners.emplace(*image, t);
        if (!inserted && it->second != t)
          problems_->Add(t->location, What(*t) + ": image \"" + *image + "\" is also the image of " +
                                          What(*it->second) + " (duplicate image name)");
      }
    }
    // The index of a multi-platform target must not take the name of any image or index.
    for (const Target* t : fleet_.Targets()) {
      if (fleet_.PlatformsOf(*t).size() < 2) continue;
      auto index = fleet_.IndexFor(*t);
      if (!index) continue;  // the template's own problem is reported already
      Location where = IndexLocation(*t);
      if (!oci::Reference::Parse(*index)) {
        problems_->Add(where, What(*t) + ": index name \"" + *index + "\" (from \"" +
                                  fleet_.IndexTemplateOf(*t) + "\") is not an image reference");
        continue;
      }
      auto [it, inserted] = owners.emplace(*index, t);
      if (!inserted)
        problems_->Add(where, What(*t) + ": index name \"" + *index + "\" is also " +
                                  (it->second == t ? std::string("one of its platform images")
                                                   : "a name of " + What(*it->second)) +
                                  " (give the target an `index:` of its own)");
    }
  }

  // Reports each cycle once, as "a → b → a", at the edge that closes it.
  void CheckCycles(const std::string& field, std::function<std::vector<std::string>(const Target&)> edges,
                   bool with_bases) {
    std::map<std::string, int> state;  // 0 new, 1 on stack, 2 done
    std::vector<std::string> stack;
    std::function<void(const Target&)> visit = [&](const Target& t) {
      state[t.name] = 1;
      stack.push_back(t.name);
      std::vector<std::string> next = edges(t);
      if (with_bases && !t.base.empty() && fleet_.FindBase(t.base)) next.push_back(t.base);
      for (const auto& n : next) {
        const Target* child = fleet_.FindTarget(n);
        if (!child || n == t.name) continue;
        if (state[n] == 1) {
          std::string path;
          auto from = std::find(stack.begin(), stack.end(), n);
          for (auto it = from; it != stack.end(); ++it) path += *it + " → ";
          path += n;
          problems_->Add(t.LocationOf(field + "." + n), "dependency cycle in \"" + field + "\": " + path);
        } else if (state[n] == 0) {
          visit(*child);
        }
      }
      stack.pop_back();
      state[t.name] = 2;
    };
    for (const Target* t : fleet_.Targets())
      if (state[t->name] == 0) visit(*t);
  }

  static std::string Join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out.empty() ? "none defined" : out;
  }

  const Fleet& fleet_;
  FileChecks checks_;
  ProblemList* problems_;
  std::vector<std::string> names_, base_names_, service_names_;
};

}  // namespace

void ValidateFleet(const Fleet& fleet, FileChecks checks, ProblemList* problems) {
  Validator(fleet, checks, problems).Run();
}

}  // namespace plinth::fleet
