// ShellCommand: a POSIX shell parse of RUN commands for lint — not an interpreter, nothing is
// expanded. It finds every simple command a script runs, as hadolint (through ShellCheck's
// parser) does: across `&&`, `||`, `;`, `|`, `&` and newlines, inside subshells `( … )`, groups
// `{ …; }`, `if`/`while`/`for`/`case` bodies, and inside `$( … )` and backticks (the commands
// there are commands too). Quotes and escapes are honoured and removed, comments and line
// continuations skipped, redirections (`>f`, `2>&1`, `<<EOF`, `<<<w`) left out of the words;
// the bodies of here-documents written inside the script are skipped, or read as commands when
// they feed a shell (`sh <<EOF`). A script that does not parse (an unclosed quote or `$(`)
// yields no commands, as in hadolint. Input size is the caller's; nesting is bounded.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/instructions.h"

namespace plinth::lint {

struct ShellCommand {
  std::vector<std::string> words;  // quotes removed, assignments (`A=b cmd`) included
  // Per word: false when it holds an expansion ($x, ${x}, $(…), `…`).
  std::vector<bool> literal;
  // Per word (SplitShell only): where it is written in the parsed text, [begin, end) — quotes
  // and escapes included, for edits of the source (`lint --fix`); kUnknown when the word came
  // from text that is not the source verbatim (inside backticks with escapes).
  static constexpr size_t kUnknown = static_cast<size_t>(-1);
  std::vector<size_t> begins, ends;

  // The program: the first word after `sudo`, `env` and VAR=value assignments, basename only
  // (plinth's own view, used by the fleet rules).
  std::string Program() const;
  // Words after Program().
  std::vector<std::string> Arguments() const;

  // hadolint's view (ShellCheck's command name): the first word after assignments, as written
  // (no basename, `sudo` is the command), looking through `command`, `builtin`, `busybox` and
  // `exec`; "" when that word holds an expansion.
  std::string Name() const;
  // The index in `words` of the word Name() reads (words.size() if none).
  size_t NameAt() const;
  // The words after the first one that is not an assignment.
  std::vector<std::string> Args() const;
  // Flags of Args() as hadolint splits them: `-abc` is a, b, c; `--name=v` is name.
  std::vector<std::string> Flags() const;
  bool HasFlag(std::string_view flag) const;
  bool HasAnyFlag(std::initializer_list<std::string_view> flags) const;
  bool HasArg(std::string_view arg) const;
  // Name() is `name` and any of Args() is one of `args` (hadolint's cmdHasArgs).
  bool Is(std::string_view name, std::initializer_list<std::string_view> args) const;
  // Args() without flags and without the word after each flag in `flags_with_values`.
  std::vector<std::string> ArgsNoFlags(
      std::initializer_list<std::string_view> flags_with_values = {}) const;
  // The words that follow the flag `flag` (`-u 1000` → "1000").
  std::vector<std::string> FlagValues(std::string_view flag) const;
};

struct ShellScript {
  std::vector<ShellCommand> commands;  // in the order they appear, outer before inner
  bool has_pipe = false;               // a `|` or `|&` anywhere
  bool parsed = true;                  // false: a syntax error; `commands` is then empty
};

// Parses shell source text.
ShellScript SplitShell(std::string_view script);

// The commands a RUN runs: its shell form parsed, its exec form as one command. Heredoc bodies
// (`RUN <<EOF`, `RUN bash <<EOF`) are parsed as scripts when they feed the shell: the RUN is
// only heredoc markers, or the command reading the heredoc is a shell with no script argument,
// and the body has no non-shell `#!` line. A body that is data (`cat <<EOF > f`) is not.
ShellScript CommandsOf(const dockerfile::Instruction& run);

// "apt-get install", "pip install", ... if the command installs packages; "" otherwise.
std::string PackageManagerUse(const ShellCommand& command);

// Whether a program path names a POSIX-like shell (sh, bash, ash, dash, zsh, ksh, busybox sh).
bool IsPosixShellName(std::string_view program);

}  // namespace plinth::lint
