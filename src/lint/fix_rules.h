// The fixes of each rule for fixer.cc (internal to the lint module): each looks at one
// instruction and returns the edits of the file's text that fix it, or why it cannot.
#pragma once

#include <string>
#include <vector>

#include "dockerfile/instructions.h"
#include "lint/dockerfile_view.h"
#include "lint/fixer.h"
#include "lint/shell_command.h"

namespace plinth::lint::fix {

// Replace [begin, end) of the file's text with `text` (begin == end: insert).
struct Edit {
  size_t begin = 0, end = 0;
  std::string text;
};

struct Outcome {
  std::vector<Edit> edits;  // empty with a reason: not fixed
  std::string text;         // what was done, or why not
};

inline Outcome Skip(std::string why) { return {{}, std::move(why)}; }

// What a fix reads: the file and where its lines start.
struct Source {
  const std::string& content;
  const DockerfileView& view;
  std::vector<size_t> line_starts;  // offset of line n (1-based) at [n - 1]; one past the end last

  Source(const std::string& text, const DockerfileView& v);
  size_t Offset(const Location& where) const;  // of the keyword
  // One past the last byte of line `line` before its newline (and a CR before it).
  size_t LineEnd(int line) const;
};

// An instruction's text, from its keyword to the end of its last line (heredoc bodies
// included), turned into a shell script of the same length, byte for byte at the same
// offsets: the keyword and its `--flags` blanked, each line continuation written `\` + newline
// (BuildKit allows blanks after the `\`), comment and empty lines inside a continuation (which
// BuildKit drops) blanked with their newline, CRs blanked.
struct ShellText {
  size_t begin = 0;  // offset of the keyword in the file
  std::string text;
};
ShellText ShellTextOf(const Source& source, const dockerfile::Instruction& ins);

// The words of `c` as written in the file: its spans offset by `base`; false if any is unknown.
bool WordSpan(const ShellCommand& c, size_t index, size_t base, size_t* begin, size_t* end);

Outcome FixExecForm(const Source& source, const LintStage& stage,
                    const dockerfile::Instruction& ins);
Outcome FixMaintainer(const Source& source, const dockerfile::Instruction& ins);
Outcome FixAddToCopy(const Source& source, const dockerfile::Instruction& ins);
Outcome FixAptCommand(const Source& source, const dockerfile::Instruction& ins);
Outcome FixWgetProgress(const Source& source, const dockerfile::Instruction& ins);
Outcome FixNoInstallRecommends(const Source& source, const dockerfile::Instruction& ins);
Outcome FixPinDigest(const Source& source, const LintStage& stage, const DigestResolver& resolve);

}  // namespace plinth::lint::fix
