// The general rules: hadolint's, each behaving as hadolint documents it, on whole Dockerfiles
// and on fragments without a FROM. Codes are plinth's (PL2xx); hadolint's DL codes are aliases.
#include <cctype>
#include <set>

#include "fleet/base_pattern.h"
#include "lint/add_source.h"
#include "lint/instruction_rules.h"
#include "lint/rule_context.h"
#include "oci/reference.h"
#include "util/ascii.h"

namespace plinth::lint {
namespace {

using dockerfile::CommandForm;
using dockerfile::Instruction;
using dockerfile::InstructionKind;

std::string Unquote(std::string s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    return s.substr(1, s.size() - 2);
  return s;
}

bool IsWindowsAbsolute(const std::string& p) {
  return p.size() >= 2 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':';
}

bool IsRootUser(const std::string& user) {
  std::string name = Unquote(user).substr(0, Unquote(user).find(':'));
  return name == "root" || name == "0";
}

// The tag of an image as written ("" if none); digests are reported separately.
std::string TagOf(const std::string& image) {
  std::string name = image.substr(0, image.find('@'));
  auto colon = name.rfind(':');
  auto slash = name.rfind('/');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return "";
  return name.substr(colon + 1);
}

bool IsScratch(const std::string& image) { return AsciiLower(image) == "scratch"; }

// Every instruction of every stage, with its stage, in file order.
template <typename F>
void ForEachInstruction(const DockerfileView& view, F f) {
  for (const auto& stage : view.stages)
    for (const auto& ins : stage.instructions) f(stage, ins);
}

void CheckWorkdir(RuleContext& c) {  // DL3000
  ForEachInstruction(c.view(), [&](const LintStage&, const Instruction& ins) {
    if (ins.kind != InstructionKind::kWorkdir || ins.args.empty()) return;
    std::string dir = Unquote(ins.args[0]);
    if (dir.starts_with("/") || dir.starts_with("$") || IsWindowsAbsolute(dir)) return;
    c.Report("PL201", ins.location, "Use absolute WORKDIR (\"" + dir + "\" is relative)",
             "write WORKDIR /" + dir);
  });
}

void CheckLastUser(RuleContext& c) {  // DL3002
  const LintStage* last = c.view().runtime();
  if (!last) return;
  const Instruction* user = nullptr;
  for (const auto& ins : last->instructions)
    if (ins.kind == InstructionKind::kUser && !ins.args.empty()) user = &ins;
  if (user && IsRootUser(user->args[0]))
    c.Report("PL202", user->location, "Last USER should not be root",
             "end the stage with USER 65532 (or another non-root user)");
}

void CheckFromTags(RuleContext& c) {  // DL3006, DL3007, DL3029, DL3024
  std::set<std::string> names;
  for (const auto& stage : c.view().stages) {
    if (!stage.from) continue;
    const Instruction& from = *stage.from;
    const std::string& image = stage.base_written;
    if (!stage.name.empty() && !names.insert(stage.name).second)
      c.Report("PL209", from.location, "FROM aliases (stage names) must be unique: \"" + stage.name +
                                           "\" is used twice", "rename one of the stages");
    if (!from.from.platform.empty() && from.from.platform.find("BUILDPLATFORM") == std::string::npos &&
        from.from.platform.find("TARGETPLATFORM") == std::string::npos)
      c.Report("PL212", from.location, "Do not use --platform flag with FROM (--platform=" +
                                           from.from.platform + ")",
               "drop the flag and build with --platform, or use --platform=$BUILDPLATFORM");
    if (IsScratch(image) || stage.parent >= 0 || image.find('$') != std::string::npos ||
        image.find('@') != std::string::npos)
      continue;
    std::string tag = TagOf(image);
    if (tag.empty())
      c.Report("PL203", from.location, "Always tag the version of an image explicitly (" + image + ")",
               "pin a release tag, such as " + image + ":<version>");
    else if (tag == "latest")
      c.Report("PL204", from.location,
               "Using latest is prone to errors if the image will ever update. Pin the version "
               "explicitly to a release tag (" + image + ")",
               "replace :latest with a release tag or a digest");
  }
}

void CheckTrustedRegistries(RuleContext& c) {  // DL3026
  const auto& trusted = c.config().trusted_registries;
  if (trusted.empty()) return;
  for (const auto& stage : c.view().stages) {
    if (!stage.from || IsScratch(stage.base_written) || stage.parent >= 0) continue;
    auto ref = oci::Reference::Parse(stage.base_written);
    if (!ref) continue;  // an unexpanded variable: hadolint cannot tell either
    std::string registry = ref->domain();
    bool ok = false;
    for (const auto& t : trusted) {
      ok = ok || fleet::GlobMatch(t, registry) ||
           (registry == "docker.io" && (t == "hub.docker.com" || t == "registry-1.docker.io"));
    }
    if (!ok)
      c.Report("PL211", stage.from->location, "Use only an allowed registry in the FROM image (" +
                                                  registry + " is not in trustedRegistries)",
               "pull the image from one of: " + [&] {
                 std::string s;
                 for (const auto& t : trusted) s += (s.empty() ? "" : ", ") + t;
                 return s;
               }());
  }
}

void CheckCopyAndAdd(RuleContext& c) {  // DL3020, DL3021, DL3022, DL3023, DL3045
  const auto& view = c.view();
  std::vector<bool> workdir_set(view.stages.size(), false);
  for (const auto& stage : view.stages) {
    bool workdir = stage.parent >= 0 && workdir_set[stage.parent];
    for (const auto& ins : stage.instructions) {
      if (ins.kind == InstructionKind::kWorkdir) workdir = true;
      if (ins.kind != InstructionKind::kCopy && ins.kind != InstructionKind::kAdd) continue;
      const auto& copy = ins.copy;
      bool heredoc_sources = false;
      for (const auto& s : copy.sources) heredoc_sources = heredoc_sources || s.starts_with("<<");
      if (ins.kind == InstructionKind::kAdd && !heredoc_sources) {
        for (const auto& raw : copy.sources) {
          std::string src = Unquote(raw);
          if (!IsAddUrl(src) && !IsAddArchive(src)) {
            c.Report("PL205", ins.location, "Use COPY instead of ADD for files and folders (" + src + ")",
                     "write COPY; keep ADD for URLs and archives to unpack");
            break;
          }
        }
      }
      std::string dest = Unquote(copy.dest);
      if (copy.sources.size() >= 2 && !dest.ends_with("/"))
        c.Report("PL206", ins.location,
                 "COPY with more than 2 arguments requires the last argument to end with /",
                 "write " + dest + "/");
      if (ins.kind == InstructionKind::kCopy && !copy.from.empty()) {
        std::string from = Unquote(copy.from);
        if (!stage.name.empty() && AsciiLower(from) == stage.name) {
          c.Report("PL208", ins.location, "COPY --from cannot reference its own FROM alias (\"" + from + "\")",
                   "copy from an earlier stage");
        } else if (from.find(':') == std::string::npos && view.FindStage(from, stage.index) < 0) {
          c.Report("PL207", ins.location,
                   "COPY --from should reference a previously defined FROM alias (\"" + from + "\" is none)",
                   "name an earlier stage (FROM … AS " + from + "), or an image with its tag");
        }
      }
      if (!workdir && !dest.empty() && !dest.starts_with("/") && !dest.starts_with("$") &&
          !IsWindowsAbsolute(dest))
        c.Report("PL213", ins.location, "`COPY` to a relative destination without `WORKDIR` set",
                 "set WORKDIR before, or copy to an absolute path");
    }
    workdir_set[stage.index] = workdir;
  }
}

void CheckCommands(RuleContext& c) {  // DL3025, DL4000, DL4003, DL4004, DL3057
  const auto& view = c.view();
  std::vector<bool> has_health(view.stages.size(), false);
  for (const auto& stage : view.stages) {
    int cmds = 0, entrypoints = 0;
    bool health = stage.parent >= 0 && has_health[stage.parent];
    for (const auto& ins : stage.instructions) {
      switch (ins.kind) {
        case InstructionKind::kMaintainer:
          c.Report("PL215", ins.location, "MAINTAINER is deprecated",
                   "use LABEL org.opencontainers.image.authors=\"…\"");
          break;
        case InstructionKind::kHealthcheck:
          health = true;
          break;
        case InstructionKind::kCmd:
        case InstructionKind::kEntrypoint: {
          bool cmd = ins.kind == InstructionKind::kCmd;
          if (ins.command.form == CommandForm::kShell)
            c.Report("PL210", ins.location, "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
                     std::string("write ") + (cmd ? "CMD" : "ENTRYPOINT") + " [\"program\", \"arg\", …]");
          if (cmd && ++cmds > 1)
            c.Report("PL217", ins.location, "Multiple CMD instructions found. If you list more than one CMD "
                                            "then only the last CMD will take effect",
                     "keep only the last CMD");
          if (!cmd && ++entrypoints > 1)
            c.Report("PL218", ins.location, "Multiple ENTRYPOINT instructions found. If you list more than "
                                            "one ENTRYPOINT then only the last ENTRYPOINT will take effect",
                     "keep only the last ENTRYPOINT");
          break;
        }
        default:
          break;
      }
    }
    if (stage.index < static_cast<int>(has_health.size())) has_health[stage.index] = health;
  }
  const LintStage* last = view.runtime();
  if (last && !has_health[last->index]) {
    Location where = last->from ? last->from->location
                     : last->instructions.empty() ? Location{view.file, 1, 1}
                                                  : last->instructions.front().location;
    c.Report("PL214", where, "HEALTHCHECK instruction missing",
             "add HEALTHCHECK CMD [\"…\"] (or HEALTHCHECK NONE to say there is none)");
  }
}

}  // namespace

void CheckGeneralRules(RuleContext& c) {
  CheckWorkdir(c);
  CheckLastUser(c);
  CheckFromTags(c);
  CheckTrustedRegistries(c);
  CheckCopyAndAdd(c);
  CheckCommands(c);
  CheckInstructionRules(c);
  CheckLabelRules(c);
}

}  // namespace plinth::lint
