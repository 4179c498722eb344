// ShellcheckRunner: hadolint's ShellCheck pass, with Debian's `shellcheck` program. Every
// shell-form RUN of a Dockerfile becomes a script of its own, written for the shell in force
// (the stage's SHELL, else a `# hadolint shell=` pragma, else /bin/sh) and starting by exporting
// the ARG and ENV names declared before it (so SC2154 does not fire on them); all the scripts
// of one Dockerfile go to ONE shellcheck process (`--format=json1`, one file per RUN; batches of
// 512 RUNs for the rare file with more), and each
// comment comes back as a finding at the Dockerfile's line and column, code `SCnnnn`, aliases
// PL320 and `shellcheck` (so `ignored: [shellcheck]` silences them all), ShellCheck's severity.
//
// Line and column are kept by building each script from the Dockerfile's own text: the RUN
// keyword and its flags are blanked, continuation lines stay continuation lines (comment and
// empty lines inside a continuation, which BuildKit drops, become bare continuations), and a
// `RUN <<EOF` heredoc is checked as its body. Exec-form RUNs, shells ShellCheck does not know
// (zsh, PowerShell, cmd), heredocs with a non-shell `#!`, and files with another escape
// character than `\` are left out, as hadolint leaves them out.
//
// When the program is missing, Run says so once per process on stderr and returns no findings.
#pragma once

#include <string>
#include <vector>

#include "lint/dockerfile_view.h"
#include "lint/finding.h"
#include "util/result.h"

namespace plinth::lint {

// One RUN as a script.
struct ShellcheckScript {
  std::string text;    // starts with a `#!` line and an export line
  int first_line = 0;  // the Dockerfile line of the script's line 3
  Location run;        // the RUN instruction
};

// The scripts of every checkable RUN of the file, in file order.
std::vector<ShellcheckScript> ShellcheckScripts(const DockerfileView& view);

// Runs `program` (normally "shellcheck") once over the file's scripts.
Result<std::vector<Finding>> RunShellcheck(const DockerfileView& view, const std::string& program);

// Maps shellcheck's json1 output back to the Dockerfile (`paths[i]` holds `scripts[i]`).
Result<std::vector<Finding>> ParseShellcheckJson(const std::string& json,
                                                 const std::vector<std::string>& paths,
                                                 const std::vector<ShellcheckScript>& scripts,
                                                 const std::string& file);

}  // namespace plinth::lint
