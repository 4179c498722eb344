// Shells (PA110) and package managers (PA111) where the policy forbids them, found by name (an
// executable file, or a symlink to one, called sh, bash, apt-get, pip3, …) and by content (an
// executable whose bytes are busybox's, bash's, dpkg's, … whatever it is called; a Python
// script that starts pip, dnf or yum). One finding per path.
#include "audit/audit_context.h"
#include "audit/image_paths.h"
#include "audit/tool_signatures.h"

namespace plinth::audit {
namespace {

bool IsShellTool(std::string_view tool) {
  for (const auto& s : ExecutableSignatures())
    if (s.tool == tool) return s.kind == ToolKind::kShell;
  return false;
}

}  // namespace

void CheckTools(AuditContext& ctx) {
  const AuditPolicy& policy = ctx.policy();
  if (!policy.forbid_shell && !policy.forbid_package_manager) return;
  const ImageFacts& facts = ctx.facts();
  for (const auto& [path, f] : facts.files) {
    if (f.type == layer::EntryType::kDirectory) continue;
    std::string_view base = BaseName(path);
    bool shell_name = IsShellName(base), pm_name = IsPackageManagerName(base);
    std::string shell_by_content, pm_by_content;
    for (const std::string& tool : f.tools)
      (IsShellTool(tool) ? shell_by_content : pm_by_content) = tool;
    if (!shell_name && !pm_name && shell_by_content.empty() && pm_by_content.empty()) continue;

    // By name, the file must be something that runs: an executable, or a link to one.
    bool runs = false;
    std::string what = "an executable";
    if (f.type == layer::EntryType::kSymlink) {
      auto resolved = ResolveImagePath(facts, path, /*follow_last=*/true);
      runs = resolved && IsExecutable(*resolved);
      if (runs) what = "a symlink to /" + resolved->path;
    } else {
      runs = (f.mode & 0111) != 0;
    }
    if (policy.forbid_shell) {
      if (!shell_by_content.empty())
        ctx.Report(rules::kShell, path,
                   "/" + path + " is " + shell_by_content + " (by its content)");
      else if (shell_name && runs)
        ctx.Report(rules::kShell, path,
                   "/" + path + " is a shell: " + what + " named " + std::string(base));
    }
    if (policy.forbid_package_manager) {
      if (!pm_by_content.empty())
        ctx.Report(rules::kPackageManager, path,
                   "/" + path + " is " + pm_by_content + " (by its content)");
      else if (pm_name && runs)
        ctx.Report(rules::kPackageManager, path,
                   "/" + path + " is a package manager: " + what + " named " + std::string(base));
    }
  }
}

}  // namespace plinth::audit
