#include "fleet/manifest_loader.h"

#include <yaml-cpp/yaml.h>

#include <cmath>

#include "fleet/manifest_validator.h"
#include "fleet/yaml_reader.h"
#include "util/fs.h"

namespace plinth::fleet {
namespace {

const std::vector<std::string> kTopKeys = {"version", "registry", "namespace", "image", "index",
                                           "platforms", "tiers", "groups", "bases",
                                           "services", "upstream", "lifecycle"};
const std::vector<std::string> kTierKeys = {"description", "runtime_base", "multi_stage", "user",
                                            "size_budget", "audit"};
const std::vector<std::string> kTierAuditKeys = {"shell", "package_manager", "max_layers",
                                                 "wasted_bytes"};
const std::vector<std::string> kTargetAuditKeys = {"ignore"};
const std::vector<std::string> kAuditIgnoreKeys = {"code", "reason"};
const std::vector<std::string> kRuntimeBaseKeys = {"allow", "deny"};
const std::vector<std::string> kGroupKeys = {"description", "phase"};
const std::vector<std::string> kBaseKeys = {"dockerfile", "context", "recipe",   "image", "index",
                                            "group",      "build_args", "needs", "platforms",
                                            "allow_outside", "audit"};
const std::vector<std::string> kServiceKeys = {
    "dockerfile", "context", "image", "index", "tier",         "group",     "base",
    "build_args", "needs",   "depends_on",  "ports",        "environment",
    "health_check", "resources", "volumes", "platforms", "allow_outside", "audit"};
const std::vector<std::string> kHealthKeys = {"test", "interval", "timeout", "retries",
                                              "start_period"};
const std::vector<std::string> kResourceKeys = {"cpus", "memory"};
const std::vector<std::string> kUpstreamKeys = {"mirrors", "images", "recipe_image"};
const std::vector<std::string> kUpstreamImageKeys = {"recipe", "registry", "mirrors", "allow_outside"};
const std::vector<std::string> kLifecycleKeys = {"image", "end_of_life", "replacement", "note"};

class Loader {
 public:
  Loader(std::string path, ProblemList* problems) : reader_(path, problems) {
    fleet_.path = std::move(path);
    auto slash = fleet_.path.rfind('/');
    fleet_.dir = slash == std::string::npos ? "." : fleet_.path.substr(0, slash);
    if (fleet_.dir.empty()) fleet_.dir = "/";
  }

  Fleet Load(const YAML::Node& root) {
    if (!root.IsMap()) {
      reader_.Report(root, "the manifest must be a map of settings, found " + DescribeType(root));
      return std::move(fleet_);
    }
    reader_.CheckKeys(root, kTopKeys, "plinth.yaml");
    for (auto& [key, value] : reader_.Entries(root)) {
      const std::string k = key.Scalar();
      if (k == "version") {
        if (auto v = reader_.Int(value, "version")) {
          if (*v != 1) reader_.Report(value, "version: only version 1 is known, found " + std::to_string(*v));
          fleet_.version = *v;
        }
      } else if (k == "registry") {
        if (auto v = reader_.String(value, "registry")) fleet_.registry = *v;
      } else if (k == "namespace") {
        if (auto v = reader_.String(value, "namespace")) fleet_.name_space = *v;
      } else if (k == "image") {
        if (auto v = reader_.String(value, "image")) fleet_.image_template = *v;
        image_location_ = reader_.At(value);
      } else if (k == "index") {
        if (auto v = reader_.String(value, "index")) fleet_.index_template = *v;
        fleet_.index_location = reader_.At(value);
      } else if (k == "platforms") {
        fleet_.platforms = reader_.Strings(value, "platforms");
      } else if (k == "tiers") {
        LoadTiers(value);
      } else if (k == "groups") {
        LoadGroups(value);
      } else if (k == "bases") {
        LoadTargets(value, TargetKind::kBase, &fleet_.bases);
      } else if (k == "services") {
        LoadTargets(value, TargetKind::kService, &fleet_.services);
      } else if (k == "upstream") {
        LoadUpstream(value);
      } else if (k == "lifecycle") {
        LoadLifecycle(value);
      }
    }
    if (fleet_.image_template.empty()) fleet_.image_template = "{namespace}/{name}:latest-{arch}";
    if (fleet_.platforms.empty()) fleet_.platforms = {"linux/amd64"};
    return std::move(fleet_);
  }

 private:
  void LoadTiers(const YAML::Node& node) {
    if (!reader_.ExpectMap(node, "tiers")) return;
    reader_.CheckKeys(node, {}, "tiers");
    for (auto& [key, value] : reader_.Entries(node)) {
      Tier tier;
      tier.name = key.Scalar();
      tier.location = reader_.At(key);
      std::string what = "tier \"" + tier.name + "\"";
      if (!reader_.ExpectMap(value, what)) continue;
      reader_.CheckKeys(value, kTierKeys, what);
      for (auto& [k, v] : reader_.Entries(value)) {
        const std::string f = k.Scalar();
        if (f == "description") {
          if (auto s = reader_.String(v, what + " description")) tier.description = *s;
        } else if (f == "runtime_base") {
          if (!reader_.ExpectMap(v, what + " runtime_base")) continue;
          reader_.CheckKeys(v, kRuntimeBaseKeys, what + " runtime_base");
          for (auto& [rk, rv] : reader_.Entries(v)) {
            auto* list = rk.Scalar() == "allow" ? &tier.allow : rk.Scalar() == "deny" ? &tier.deny : nullptr;
            if (!list || !reader_.ExpectSequence(rv, what + " runtime_base " + rk.Scalar())) continue;
            for (const auto& item : rv) {
              if (auto s = reader_.String(item, what + " runtime_base " + rk.Scalar() + " entry"))
                list->push_back(BasePattern::FromText(*s, reader_.At(item)));
            }
          }
        } else if (f == "multi_stage") {
          auto s = reader_.String(v, what + " multi_stage");
          if (s && (*s == "required" || *s == "true")) tier.multi_stage = MultiStage::kRequired;
          else if (s && (*s == "optional" || *s == "false")) tier.multi_stage = MultiStage::kOptional;
          else if (s) reader_.Report(v, what + " multi_stage: expected \"required\" or \"optional\", found \"" + *s + "\"");
        } else if (f == "user") {
          auto s = reader_.String(v, what + " user");
          if (s && *s == "nonroot") tier.user = RuntimeUser::kNonRoot;
          else if (s && *s == "any") tier.user = RuntimeUser::kAny;
          else if (s) reader_.Report(v, what + " user: expected \"nonroot\" or \"any\", found \"" + *s + "\"");
        } else if (f == "size_budget") {
          if (auto s = reader_.String(v, what + " size_budget")) {
            auto size = ParseSize(*s);
            if (size) tier.size_budget = *size;
            else reader_.Report(v, what + " size_budget: " + size.error().message());
          }
        } else if (f == "audit") {
          LoadTierAudit(v, what + " audit", &tier.audit);
        }
      }
      fleet_.tiers.emplace(tier.name, std::move(tier));
    }
  }

  void LoadGroups(const YAML::Node& node) {
    if (!reader_.ExpectMap(node, "groups")) return;
    reader_.CheckKeys(node, {}, "groups");
    for (auto& [key, value] : reader_.Entries(node)) {
      Group group;
      group.name = key.Scalar();
      group.location = reader_.At(key);
      std::string what = "group \"" + group.name + "\"";
      if (!reader_.ExpectMap(value, what)) continue;
      reader_.CheckKeys(value, kGroupKeys, what);
      for (auto& [k, v] : reader_.Entries(value)) {
        if (k.Scalar() == "description") {
          if (auto s = reader_.String(v, what + " description")) group.description = *s;
        } else if (k.Scalar() == "phase") {
          if (auto i = reader_.Int(v, what + " phase")) group.phase = *i;
        }
      }
      fleet_.groups.emplace(group.name, std::move(group));
    }
  }

  void LoadTargets(const YAML::Node& node, TargetKind kind, std::vector<Target>* out) {
    const char* section = kind == TargetKind::kBase ? "bases" : "services";
    if (!reader_.ExpectMap(node, section)) return;
    reader_.CheckKeys(node, {}, section);
    for (auto& [key, value] : reader_.Entries(node)) {
      Target t;
      t.kind = kind;
      t.name = key.Scalar();
      t.location = reader_.At(key);
      std::string what = std::string(kind == TargetKind::kBase ? "base" : "service") + " \"" + t.name + "\"";
      if (!reader_.ExpectMap(value, what)) continue;
      reader_.CheckKeys(value, kind == TargetKind::kBase ? kBaseKeys : kServiceKeys, what);
      for (auto& [k, v] : reader_.Entries(value)) {
        const std::string f = k.Scalar();
        std::string fw = what + " " + f;
        t.field_locations[f] = reader_.At(v);
        auto str = [&, &v = v](std::string* dest) {
          if (auto s = reader_.String(v, fw)) *dest = *s;
        };
        if (f == "dockerfile") str(&t.dockerfile);
        else if (f == "context") str(&t.context);
        else if (f == "recipe") str(&t.recipe);
        else if (f == "image") str(&t.image);
        else if (f == "index") str(&t.index);
        else if (f == "tier") str(&t.tier);
        else if (f == "group") str(&t.group);
        else if (f == "base") str(&t.base);
        else if (f == "build_args") t.build_args = reader_.StringPairs(v, fw);
        else if (f == "environment") t.environment = reader_.StringPairs(v, fw);
        else if (f == "volumes") t.volumes = reader_.StringPairs(v, fw);
        else if (f == "needs" || f == "depends_on") {
          auto* list = f == "needs" ? &t.needs : &t.depends_on;
          if (!reader_.ExpectSequence(v, fw)) continue;
          for (const auto& item : v) {
            if (auto s = reader_.String(item, fw + " entry")) {
              list->push_back(*s);
              t.field_locations[f + "." + *s] = reader_.At(item);
            }
          }
        } else if (f == "ports") {
          t.ports = reader_.Strings(v, fw);
        } else if (f == "platforms") {
          t.platforms = reader_.Strings(v, fw);
        } else if (f == "allow_outside") {
          t.allow_outside = reader_.Strings(v, fw, YamlReader::ScalarAsList::kAccept);
        } else if (f == "health_check") {
          LoadHealthCheck(v, fw, &t);
        } else if (f == "audit") {
          LoadTargetAudit(v, fw, &t);
        } else if (f == "resources") {
          if (!reader_.ExpectMap(v, fw)) continue;
          reader_.CheckKeys(v, kResourceKeys, fw);
          Resources r;
          for (auto& [rk, rv] : reader_.Entries(v)) {
            auto s = reader_.String(rv, fw + " " + rk.Scalar());
            if (!s) continue;
            if (rk.Scalar() == "cpus") r.cpus = *s;
            else if (rk.Scalar() == "memory") r.memory = *s;
          }
          t.resources = r;
        }
      }
      if (t.context.empty() && !t.dockerfile.empty()) {
        auto slash = t.dockerfile.rfind('/');
        t.context = slash == std::string::npos ? "." : t.dockerfile.substr(0, slash);
      }
      out->push_back(std::move(t));
    }
  }

  void LoadTierAudit(const YAML::Node& v, const std::string& what, TierAudit* audit) {
    audit->location = reader_.At(v);
    if (!reader_.ExpectMap(v, what)) return;
    reader_.CheckKeys(v, kTierAuditKeys, what);
    for (auto& [k, av] : reader_.Entries(v)) {
      const std::string f = k.Scalar();
      if (f == "shell" || f == "package_manager") {
        auto s = reader_.String(av, what + " " + f);
        bool allowed = s && *s == "allowed";
        if (s && *s != "allowed" && *s != "forbidden")
          reader_.Report(av, what + " " + f + ": expected \"forbidden\" or \"allowed\", found \"" +
                                 *s + "\"");
        (f == "shell" ? audit->shell_allowed : audit->package_manager_allowed) = allowed;
      } else if (f == "max_layers") {
        auto n = reader_.Int(av, what + " max_layers");
        if (n && *n < 1) reader_.Report(av, what + " max_layers: expected a positive number");
        else if (n) audit->max_layers = *n;
      } else if (f == "wasted_bytes") {
        if (auto s = reader_.String(av, what + " wasted_bytes")) {
          auto size = ParseSize(*s);
          if (size) audit->wasted_bytes = *size;
          else reader_.Report(av, what + " wasted_bytes: " + size.error().message());
        }
      }
    }
  }

  void LoadTargetAudit(const YAML::Node& v, const std::string& what, Target* t) {
    if (!reader_.ExpectMap(v, what)) return;
    reader_.CheckKeys(v, kTargetAuditKeys, what);
    for (auto& [k, iv] : reader_.Entries(v)) {
      if (k.Scalar() != "ignore" || !reader_.ExpectSequence(iv, what + " ignore")) continue;
      for (const auto& item : iv) {
        std::string entry = what + " ignore entry";
        if (!reader_.ExpectMap(item, entry)) continue;
        reader_.CheckKeys(item, kAuditIgnoreKeys, entry);
        AuditIgnore ignore;
        ignore.location = reader_.At(item);
        for (auto& [ek, ev] : reader_.Entries(item)) {
          auto s = reader_.String(ev, entry + " " + ek.Scalar());
          if (!s) continue;
          if (ek.Scalar() == "code") ignore.code = *s, ignore.location = reader_.At(ev);
          else if (ek.Scalar() == "reason") ignore.reason = *s;
        }
        if (ignore.code.empty())
          reader_.Report(item, entry + ": `code` is required (a rule's code, slug or dockle code)");
        else if (ignore.reason.empty())
          reader_.Report(item, entry + " " + ignore.code + ": `reason` is required: say why the "
                                                            "finding does not apply");
        else
          t->audit_ignore.push_back(std::move(ignore));
      }
    }
  }

  void LoadHealthCheck(const YAML::Node& v, const std::string& what, Target* t) {
    if (!reader_.ExpectMap(v, what)) return;
    reader_.CheckKeys(v, kHealthKeys, what);
    HealthCheck h;
    for (auto& [k, hv] : reader_.Entries(v)) {
      const std::string f = k.Scalar();
      if (f == "test") {
        h.test = reader_.Strings(hv, what + " test", YamlReader::ScalarAsList::kAccept);
      } else if (f == "retries") {
        if (auto i = reader_.Int(hv, what + " retries")) h.retries = *i;
      } else if (auto s = reader_.String(hv, what + " " + f)) {
        if (f == "interval") h.interval = *s;
        else if (f == "timeout") h.timeout = *s;
        else if (f == "start_period") h.start_period = *s;
      }
    }
    t->health_check = h;
  }

  void LoadUpstream(const YAML::Node& node) {
    if (!reader_.ExpectMap(node, "upstream")) return;
    reader_.CheckKeys(node, kUpstreamKeys, "upstream");
    for (auto& [key, value] : reader_.Entries(node)) {
      if (key.Scalar() == "recipe_image") {
        if (auto v = reader_.String(value, "upstream recipe_image")) fleet_.recipe_image_template = *v;
        fleet_.recipe_image_location = reader_.At(value);
      } else if (key.Scalar() == "mirrors") {
        if (!reader_.ExpectMap(value, "upstream mirrors")) continue;
        reader_.CheckKeys(value, {}, "upstream mirrors");
        for (auto& [rk, rv] : reader_.Entries(value))
          fleet_.mirrors[rk.Scalar()] = reader_.Strings(rv, "upstream mirrors " + rk.Scalar());
      } else if (key.Scalar() == "images") {
        if (!reader_.ExpectMap(value, "upstream images")) continue;
        reader_.CheckKeys(value, {}, "upstream images");
        for (auto& [ik, iv] : reader_.Entries(value)) {
          Upstream u;
          u.pattern = ik.Scalar();
          u.location = reader_.At(ik);
          std::string what = "upstream image \"" + u.pattern + "\"";
          if (!reader_.ExpectMap(iv, what)) continue;
          reader_.CheckKeys(iv, kUpstreamImageKeys, what);
          for (auto& [k, v] : reader_.Entries(iv)) {
            const std::string f = k.Scalar();
            if (f == "mirrors") {
              u.mirrors = reader_.Strings(v, what + " mirrors");
            } else if (f == "allow_outside") {
              u.allow_outside = reader_.Strings(v, what + " allow_outside", YamlReader::ScalarAsList::kAccept);
              u.allow_outside_location = reader_.At(v);
            } else if (auto s = reader_.String(v, what + " " + f)) {
              if (f == "recipe") u.recipe = *s, u.kind = UpstreamKind::kRecipe, u.recipe_location = reader_.At(v);
              else if (f == "registry") u.registry = *s;
            }
          }
          if (!u.recipe.empty() && !u.registry.empty())
            reader_.Report(ik, what + ": give either a recipe or a registry, not both");
          fleet_.upstream.push_back(std::move(u));
        }
      }
    }
  }

  void LoadLifecycle(const YAML::Node& node) {
    if (!reader_.ExpectSequence(node, "lifecycle")) return;
    for (const auto& item : node) {
      if (!reader_.ExpectMap(item, "lifecycle entry")) continue;
      reader_.CheckKeys(item, kLifecycleKeys, "lifecycle entry");
      LifecycleEntry e;
      e.location = reader_.At(item);
      for (auto& [k, v] : reader_.Entries(item)) {
        auto s = reader_.String(v, "lifecycle " + k.Scalar());
        if (!s) continue;
        if (k.Scalar() == "image") e.pattern = *s;
        else if (k.Scalar() == "end_of_life") e.end_of_life = *s;
        else if (k.Scalar() == "replacement") e.replacement = *s;
        else if (k.Scalar() == "note") e.note = *s;
      }
      if (e.pattern.empty()) reader_.Report(item, "lifecycle entry: \"image\" is required");
      fleet_.lifecycle.push_back(std::move(e));
    }
  }

  YamlReader reader_;
  Fleet fleet_;
  Location image_location_;
};

}  // namespace

Result<int64_t> ParseSize(std::string_view text) {
  std::string s(text);
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  if (i == 0) return InvalidInput("expected a size such as 150MB, found \"" + s + "\"");
  double number = std::strtod(s.substr(0, i).c_str(), nullptr);
  std::string unit = s.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  static const std::pair<const char*, double> kUnits[] = {
      {"", 1},      {"B", 1},           {"kB", 1e3},         {"KB", 1e3},
      {"MB", 1e6},  {"GB", 1e9},        {"KiB", 1024.0},     {"MiB", 1048576.0},
      {"GiB", 1073741824.0}};
  for (const auto& [name, factor] : kUnits) {
    if (unit != name) continue;
    // 2^62 bytes (4 EiB): far above any image, and exactly representable as a double, so
    // the conversion below never overflows.
    const double bytes = number * factor;
    if (!std::isfinite(bytes) || bytes > 4611686018427387904.0)
      return InvalidInput("size \"" + s.substr(0, 40) + "\" is too large (at most 4 EiB)");
    return static_cast<int64_t>(std::llround(bytes));
  }
  return InvalidInput("unknown size unit \"" + unit + "\" in \"" + s +
                      "\" (use B, kB, MB, GB, KiB, MiB or GiB)");
}

Result<Fleet> LoadFleetFromString(std::string_view content, const std::string& path,
                                  FileChecks checks) {
  ProblemList problems;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(content));
  } catch (const YAML::Exception& e) {
    return InvalidInput("reading manifest: " + e.msg,
                        Location{path, e.mark.line + 1, e.mark.column + 1});
  }
  try {
    Fleet fleet = Loader(path, &problems).Load(root);
    ValidateFleet(fleet, checks, &problems);
    if (!problems.empty()) return problems.ToError();
    return fleet;
  } catch (const YAML::Exception& e) {
    // The loader checks every node's type before reading it; this keeps a missed check from
    // aborting plinth.
    return InvalidInput("reading manifest: " + e.msg,
                        Location{path, e.mark.line + 1, e.mark.column + 1});
  } catch (const std::exception& e) {
    return InvalidInput(std::string("reading manifest: ") + e.what(), Location{path});
  }
}

Result<Fleet> LoadFleet(const std::string& path) {
  auto content = ReadFileAtMost(path, kMaxManifestSize);
  if (!content) return content.error().Context("reading fleet manifest " + path);
  return LoadFleetFromString(*content, path);
}

}  // namespace plinth::fleet
