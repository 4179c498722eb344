// ShellCommand: just enough of POSIX shell to lint RUN lines — the simple commands of a
// command line (split at `&&`, `||`, `;`, `|`, `&` and newlines, quotes and escapes honoured)
// and whether a pipe joins any two. Not an interpreter: no expansion, no subshell parsing;
// `$(…)` and backticks are kept inside words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/instructions.h"

namespace plinth::lint {

struct ShellCommand {
  std::vector<std::string> words;  // quotes removed
  // The program: the first word after `sudo`, `env` and VAR=value assignments, basename only.
  std::string Program() const;
  // Words after the program.
  std::vector<std::string> Arguments() const;
};

struct ShellScript {
  std::vector<ShellCommand> commands;
  bool has_pipe = false;
};

ShellScript SplitShell(std::string_view script);

// The commands a RUN runs: its shell form split, its exec form as one command, heredoc bodies
// split as scripts.
ShellScript CommandsOf(const dockerfile::Instruction& run);

// "apt-get install", "pip install", ... if the command installs packages; "" otherwise.
std::string PackageManagerUse(const ShellCommand& command);

}  // namespace plinth::lint
