// The hybrid policy rules (PL1xx): what plinth.yaml's tiers say about a service's runtime
// stage, plus pinning, end of life and architecture suffixes of the bases it builds on.
#include <cctype>

#include "fleet/base_pattern.h"
#include "fleet/tier_policy.h"
#include "lint/rule_context.h"
#include "lint/shell_command.h"
#include "oci/platform.h"
#include "oci/reference.h"
#include "util/ascii.h"

namespace plinth::lint {
namespace {

using dockerfile::CommandForm;
using dockerfile::HealthcheckType;
using dockerfile::Instruction;
using dockerfile::InstructionKind;

std::string Normalised(const std::string& reference) {
  auto parsed = oci::Reference::Parse(reference);
  return parsed ? parsed->str() : reference;
}

std::string TagOf(const std::string& image) {
  std::string name = image.substr(0, image.find('@'));
  auto colon = name.rfind(':');
  auto slash = name.rfind('/');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return "";
  return name.substr(colon + 1);
}

bool IsNonRootUser(const std::string& user) {
  std::string u = user;
  if (u.size() >= 2 && u.front() == '"' && u.back() == '"') u = u.substr(1, u.size() - 2);
  std::string name = u.substr(0, u.find(':'));
  return name == "65532" || name == "nonroot";
}

// The stage at the root of a FROM-stage chain: the one whose base is an image.
const LintStage& RootStage(const DockerfileView& view, const LintStage& stage) {
  const LintStage* s = &stage;
  while (s->parent >= 0) s = &view.stages[s->parent];
  return *s;
}

// The fleet base an image names, for this platform or, when its tag is another platform's
// (reported by PL106), for that one.
const fleet::Target* FleetBaseOf(const FleetContext& fc, const std::string& image) {
  if (const fleet::Target* base = fc.fleet->BaseForImage(image, fc.platform)) return base;
  for (const auto& platform : fc.fleet->platforms) {
    if (const fleet::Target* base = fc.fleet->BaseForImage(image, platform)) return base;
  }
  return nullptr;
}

struct BaseInfo {
  std::string reference;               // expanded image
  const fleet::Target* fleet_base = nullptr;
  bool scratch = false;
  bool shell_less = false;
  bool nonroot = false;                // known to run as non-root without a USER
};

BaseInfo DescribeBase(const RuleContext& c, const std::string& image) {
  const FleetContext& fc = *c.fleet();
  BaseInfo info;
  info.reference = image;
  info.scratch = AsciiLower(image) == "scratch";
  if (info.scratch) return info;
  info.fleet_base = FleetBaseOf(fc, image);
  if (info.fleet_base) {
    auto it = fc.bases.find(info.fleet_base->name);
    if (it != fc.bases.end()) info.shell_less = it->second.shell_less, info.nonroot = it->second.nonroot;
    return info;
  }
  std::string tag = TagOf(image);
  bool distroless = fleet::GlobMatch("gcr.io/distroless/*", fleet::RepositoryOf(image)) &&
                    tag.find("debug") == std::string::npos;
  const fleet::Upstream* upstream = fc.fleet->UpstreamFor(image);
  info.shell_less = distroless || (upstream && upstream->kind == fleet::UpstreamKind::kRecipe);
  info.nonroot = distroless && tag.find("nonroot") != std::string::npos;
  return info;
}

void CheckUpstreamBases(RuleContext& c) {  // PL106, PL107, PL108
  const FleetContext& fc = *c.fleet();
  auto platform = oci::Platform::Parse(fc.platform);
  static const char* kArches[] = {"amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64"};
  for (const auto& stage : c.view().stages) {
    if (!stage.from || stage.parent >= 0 || AsciiLower(stage.base) == "scratch") continue;
    const Location& where = stage.from->location;
    std::string tag = TagOf(stage.base);
    for (const char* arch : kArches) {
      if (platform && (tag == arch || tag.ends_with(std::string("-") + arch)) &&
          platform->architecture != arch) {
        c.Report("PL106", where, "the tag of " + stage.base + " is for " + arch + ", but this is the " +
                                     fc.platform + " build",
                 "use ${TARGETARCH} in the tag: " +
                     stage.base_written.substr(0, stage.base_written.size() - std::string(arch).size()) +
                     "${TARGETARCH}");
        break;
      }
    }
    if (FleetBaseOf(fc, stage.base)) continue;  // built here, not upstream
    if (stage.base.find('@') == std::string::npos && (tag.empty() || tag == "latest"))
      c.Report("PL107", where, "upstream base " + stage.base + " is not pinned (" +
                                   (tag.empty() ? "no tag means latest" : "latest moves") + ")",
               "pin a release tag (gcr.io/distroless/*: :nonroot or a version) or a digest");
    if (const LifecycleRecord* r = EndOfLife(fc.lifecycle, stage.base, fc.today))
      c.Report("PL108", where, "upstream base " + stage.base + " is past its end of life (" +
                                   r->end_of_life + ": " + r->note + ")",
               "move to " + r->replacement + (tag.empty() ? "" : ":" + tag));
  }
}

void CheckRuntimeStage(RuleContext& c) {  // PL101..PL105, PL109
  const FleetContext& fc = *c.fleet();
  const DockerfileView& view = c.view();
  const LintStage* runtime = view.runtime();
  if (!runtime || !runtime->from) return;
  const fleet::Target& target = *fc.target;
  const fleet::Tier* tier = target.kind == fleet::TargetKind::kService ? fc.fleet->TierOf(target) : nullptr;
  const LintStage& root = RootStage(view, *runtime);
  BaseInfo base = DescribeBase(c, root.base);
  const Location& from_at = runtime->from->location;

  if (tier) {
    fleet::PolicyDecision d = fleet::CheckRuntimeBase(*tier, base.reference, base.fleet_base);
    if (!d.allowed()) {
      std::string what = base.fleet_base ? "the fleet base " + base.fleet_base->name + " (" + base.reference + ")"
                                         : base.reference;
      std::string why = d.verdict == fleet::BaseVerdict::kDenied
                            ? "its tier \"" + tier->name + "\" denies " + d.pattern->text
                            : "its tier \"" + tier->name + "\" allows only " + fleet::DescribeAllowList(*tier);
      c.Report("PL101", from_at, "service " + target.name + " runs on " + what + ", but " + why,
               "run `plinth migrate` to rewrite this FROM to the tier's base");
    }
    if (tier->multi_stage == fleet::MultiStage::kRequired) {
      int stages = 0;
      for (const auto& s : view.stages) stages += s.from ? 1 : 0;
      if (stages < 2)
        c.Report("PL102", from_at, "tier \"" + tier->name + "\" requires a multi-stage build; this "
                                   "Dockerfile has one stage",
                 "build or gather files in a first stage and COPY --from it into the runtime stage");
    }
    if (tier->user == fleet::RuntimeUser::kNonRoot) {
      const Instruction* user = nullptr;
      for (const LintStage* s = runtime; s && !user; s = s->parent >= 0 ? &view.stages[s->parent] : nullptr)
        for (const auto& ins : s->instructions)
          if (ins.kind == InstructionKind::kUser && !ins.args.empty()) user = &ins;
      if (user && !IsNonRootUser(user->args[0]))
        c.Report("PL103", user->location, "the runtime stage of " + target.name + " ends as user \"" +
                                              user->args[0] + "\"; tier \"" + tier->name + "\" requires 65532 (nonroot)",
                 "end the runtime stage with USER 65532:65532");
      else if (!user && !base.nonroot)
        c.Report("PL103", from_at, "the runtime stage of " + target.name + " sets no USER and its base " +
                                       base.reference + " is not known to run as non-root",
                 "add USER 65532:65532 to the runtime stage");
    }
    if (!target.base.empty()) {
      const fleet::Target* declared_base = fc.fleet->FindBase(target.base);
      bool same = declared_base ? declared_base == base.fleet_base
                                : Normalised(target.base) == Normalised(base.reference);
      if (!same)
        c.Report("PL109", from_at, "plinth.yaml declares base \"" + target.base + "\" for " + target.name +
                                       " (at " + target.LocationOf("base").ToString() + "), but the runtime stage uses " +
                                       base.reference,
                 "run `plinth migrate`, or change base: in plinth.yaml");
    }
  }
  if (base.shell_less) {
    for (const auto& ins : runtime->instructions) {
      bool shell = false;
      std::string what = dockerfile::KeywordOf(ins.kind);
      if ((ins.kind == InstructionKind::kRun || ins.kind == InstructionKind::kCmd ||
           ins.kind == InstructionKind::kEntrypoint) && ins.command.form == CommandForm::kShell)
        shell = true;
      if (ins.kind == InstructionKind::kHealthcheck && ins.health.type == HealthcheckType::kCmd &&
          ins.health.test.form == CommandForm::kShell)
        shell = true, what = "HEALTHCHECK CMD";
      if (shell)
        c.Report("PL104", ins.location, "shell-form " + what + " in a distroless runtime stage (" +
                                            base.reference + " has no /bin/sh)",
                 "use the exec form: " + what + " [\"/path/to/program\", \"arg\"]");
    }
  }
  for (const auto& ins : runtime->instructions) {
    if (ins.kind != InstructionKind::kRun) continue;
    for (const auto& cmd : CommandsOf(ins).commands) {
      std::string use = PackageManagerUse(cmd);
      if (use.empty()) continue;
      c.Report("PL105", ins.location, "package manager (" + use + ") in the runtime stage of " + target.name,
               "install in a builder stage and COPY the result, or add the package to the base's recipe");
      break;
    }
  }
}

}  // namespace

void CheckHybridRules(RuleContext& c) {
  if (!c.fleet() || !c.fleet()->fleet || !c.fleet()->target) return;
  CheckUpstreamBases(c);
  CheckRuntimeStage(c);
}

}  // namespace plinth::lint
