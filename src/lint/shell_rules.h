// The shell rules: hadolint's checks of what RUN commands do (package pinning and cleanup for
// apt, apk, yum/dnf/microdnf, zypper, pip, npm, gem and yarn; `cd`, `sudo`, wget progress,
// curl and wget together, consecutive RUNs, pipefail), each as hadolint documents it, on the
// commands lint/shell_command.h finds: across `&&`, `;`, pipes and subshells, in heredoc RUNs
// (which hadolint cannot read) and, for the rules hadolint also applies there, in ONBUILD RUN.
// As in hadolint, a non-POSIX SHELL (PowerShell, cmd) silences only the pipefail rule (and,
// elsewhere, ShellCheck): the other rules still read the RUN as a shell script.
#pragma once

#include "lint/rule_context.h"

namespace plinth::lint {

void CheckShellRules(RuleContext& context);

}  // namespace plinth::lint
