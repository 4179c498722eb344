// Fleet: plinth.yaml as a value. A fleet is a set of targets (custom bases and services) that
// share a registry, a namespace, an image-name template and a list of platforms; each service
// belongs to a tier (the hybrid policy: which runtime bases it may use, multi-stage, runtime
// user, size budget) and a group (the phase in which it is built and deployed). Upstream images
// say where images that the fleet does not build come from (a registry, mirrors, or a local
// Debian recipe). A Fleet returned by LoadFleet (manifest_loader.h) has been validated: names
// are unique, every reference resolves, `needs` and `depends_on` are acyclic, and no service
// declares a base its tier forbids. The schema is documented in docs/manifest.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fleet/base_pattern.h"
#include "oci/platform.h"
#include "util/error.h"
#include "util/result.h"

namespace plinth::fleet {

enum class MultiStage { kOptional, kRequired };
enum class RuntimeUser { kAny, kNonRoot };

// A tier's `audit:` section: what `plinth audit` and `build --audit` allow in its images
// (docs/audit.md). Absent: shells and package managers are forbidden, the audit's defaults
// for the layer count and wasted bytes apply.
struct TierAudit {
  bool shell_allowed = false;
  bool package_manager_allowed = false;
  std::optional<int> max_layers;
  std::optional<int64_t> wasted_bytes;
  Location location;
};

// A target's `audit: {ignore: [{code, reason}]}` entry: a finding of that rule (code, slug or
// dockle code; checked against the rules where the audit runs) is not reported for it.
struct AuditIgnore {
  std::string code;
  std::string reason;
  Location location;
};

struct Tier {
  std::string name;
  std::string description;
  std::vector<BasePattern> allow;  // runtime bases this tier may use (empty: any)
  std::vector<BasePattern> deny;   // runtime bases it must not use (wins over allow)
  MultiStage multi_stage = MultiStage::kOptional;
  RuntimeUser user = RuntimeUser::kAny;
  std::optional<int64_t> size_budget;  // bytes, per platform image
  TierAudit audit;
  Location location;
};

struct Group {
  std::string name;
  std::string description;
  int phase = 0;  // groups build and deploy in ascending phase order
  Location location;
};

struct HealthCheck {
  std::vector<std::string> test;  // compose form: ["CMD", "/app/healthcheck"]
  std::string interval, timeout, start_period;
  int retries = 0;
};

struct Resources {
  std::string cpus;    // "1.5"
  std::string memory;  // "512m"
};

enum class TargetKind { kBase, kService };

// A base or a service: something this fleet builds, once per platform.
struct Target {
  TargetKind kind = TargetKind::kService;
  std::string name;          // "api-gateway", "lucid-base-python"
  std::string dockerfile;    // relative to the fleet folder; empty for a recipe base
  std::string context;       // relative to the fleet folder
  std::string recipe;        // bases only: a Debian recipe (relative), instead of a Dockerfile
  std::string image;         // image template ({namespace}, {name}, {arch}, ...)
  std::string index;         // multi-platform name template (no {arch}); empty: see IndexFor
  std::string tier;          // services: a key of Fleet::tiers
  std::string group;         // a key of Fleet::groups
  std::string base;          // services: declared runtime base (a base name or an image ref)
  std::vector<std::pair<std::string, std::string>> build_args;  // in manifest order
  std::vector<std::string> needs;       // extra build-order edges (target names)
  std::vector<std::string> depends_on;  // runtime dependencies (compose depends_on)
  std::vector<std::string> ports;       // compose form: "8080:8080"
  std::vector<std::pair<std::string, std::string>> environment;
  std::optional<HealthCheck> health_check;
  std::optional<Resources> resources;
  // services: named volumes → the absolute path each is mounted at (compose `volumes:`), for a
  // stateful service whose rootfs is read-only at runtime.
  std::vector<std::pair<std::string, std::string>> volumes;
  std::vector<std::string> platforms;   // override of Fleet::platforms; empty: the fleet's
  // Path fields ("dockerfile", "context", "recipe") that may lead outside the fleet's folder;
  // every other path field must stay inside it, symlinks resolved (docs/manifest.md).
  std::vector<std::string> allow_outside;
  std::vector<AuditIgnore> audit_ignore;  // `audit: {ignore: […]}`
  Location location;                    // where the target's name is in plinth.yaml
  // Where each field's value is ("tier", "base", "needs.NAME", ...), for later diagnostics.
  std::map<std::string, Location> field_locations;
  Location LocationOf(const std::string& field) const;
};

enum class UpstreamKind { kRegistry, kRecipe };

// Where an image the fleet does not build comes from.
struct Upstream {
  std::string pattern;  // repository (`gcr.io/distroless/python3-debian12`) or glob (`mongo*`)
  UpstreamKind kind = UpstreamKind::kRegistry;
  std::string recipe;   // kRecipe: a Debian recipe file, relative to the fleet folder
  std::string registry; // kRegistry: "" = the reference's own domain
  std::vector<std::string> mirrors;
  std::vector<std::string> allow_outside;  // "recipe", or nothing (see Target::allow_outside)
  Location location;
  Location recipe_location;         // where `recipe:` is in plinth.yaml
  Location allow_outside_location;  // where `allow_outside:` is
};

// One line of the lifecycle table (extends the built-in table of lint/lifecycle_table.h).
struct LifecycleEntry {
  std::string pattern;      // glob over the repository name
  std::string end_of_life;  // "2026-09-30"
  std::string replacement;  // suggested image
  std::string note;
  Location location;
};

struct Fleet {
  std::string path;  // plinth.yaml as given
  std::string dir;   // its folder: the root for every relative path
  int version = 1;
  std::string registry = "docker.io";
  std::string name_space;        // `namespace:` in plinth.yaml
  std::string image_template;    // default image template for targets
  // `index:`: the multi-platform (OCI index) name of targets that use image_template; empty:
  // image_template without its platform placeholders.
  std::string index_template;
  Location index_location;
  std::vector<std::string> platforms;  // "linux/arm64", ...
  std::map<std::string, Tier> tiers;
  std::map<std::string, Group> groups;
  std::vector<Target> bases;     // in manifest order
  std::vector<Target> services;  // in manifest order
  std::vector<Upstream> upstream;
  std::map<std::string, std::vector<std::string>> mirrors;  // registry → mirrors
  // `upstream.recipe_image`: the name under which the image a recipe makes in place of an
  // upstream one is stored and pushed, in the fleet's own namespace so that `build --push` and
  // `--cache-from` work for it as for every other target.
  std::string recipe_image_template = kDefaultRecipeImage;
  Location recipe_image_location;
  std::vector<LifecycleEntry> lifecycle;

  static constexpr const char* kDefaultRecipeImage = "{namespace}/upstream-{name}:{tag}-{arch}";

  const Target* FindTarget(const std::string& name) const;
  const Target* FindBase(const std::string& name) const;
  const Tier* TierOf(const Target& target) const;
  const Group* GroupOf(const Target& target) const;
  // Bases then services, in manifest order.
  std::vector<const Target*> Targets() const;
  // The platforms a target is built for.
  const std::vector<std::string>& PlatformsOf(const Target& target) const;
  bool BuiltFor(const Target& target, const oci::Platform& platform) const;
  // The image reference a target is published as for one platform, as docker prints it:
  // "pickme/lucid-api-gateway:latest-arm64" (qualified with the registry unless docker.io).
  Result<std::string> ImageFor(const Target& target, const std::string& platform) const;
  // The name of the OCI index that joins a target's platform images when several are built:
  // its `index:`, else (for a target with its own `image:`) that image template without
  // {arch}/{platform}/{variant}, else the fleet's `index:`, else the fleet's image template
  // without them: "pickme/lucid-api-gateway:latest".
  Result<std::string> IndexFor(const Target& target) const;
  // The image a recipe builds in place of the upstream `reference` for one platform:
  // recipe_image_template with {name} the reference's repository spelled as one path
  // component (gcr.io/distroless/static-debian12 → gcr-io-distroless-static-debian12) and
  // {tag} its tag, qualified with the registry like ImageFor.
  Result<std::string> RecipeImageFor(const std::string& reference, const std::string& platform) const;
  std::string IndexTemplateOf(const Target& target) const;
  // The fleet base whose image for `platform` is `reference` (any normalised spelling).
  const Target* BaseForImage(const std::string& reference, const std::string& platform) const;
  // The first upstream entry whose pattern matches a reference's repository.
  const Upstream* UpstreamFor(const std::string& reference) const;
  // Dockerfile path of a target, resolved against the fleet folder ("" for a recipe base).
  std::string DockerfilePath(const Target& target) const;
  std::string ContextPath(const Target& target) const;
  // Targets grouped by phase, ascending; within a phase bases first, then manifest order.
  std::vector<std::pair<int, std::vector<const Target*>>> Phases() const;
};

// Compose's rule for service and volume names, [a-zA-Z0-9][a-zA-Z0-9_.-]*: what `volumes:` may
// be called, and what a service must be called to be written to a compose file.
bool IsComposeName(std::string_view name);

}  // namespace plinth::fleet
