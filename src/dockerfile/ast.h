// The raw Dockerfile AST, as BuildKit's parser builds it (frontend/dockerfile/parser): one
// Node per instruction with its keyword as written, its leading `--flags`, and its arguments
// already split the way that instruction's line parser splits them (see parser.h). Nothing
// here is validated beyond what BuildKit's parser itself rejects; unknown keywords are kept
// (with one empty argument) and rejected later by the instruction layer (instructions.h).
#pragma once

#include <string>
#include <vector>

namespace plinth::dockerfile {

// A here-document attached to RUN, COPY or ADD (`<<EOF`, `<<-EOF`, `<<'EOF'`, `3<<EOF`).
struct Heredoc {
  std::string name;     // the terminator word, quotes removed
  std::string content;  // the raw body, every line with its newline, terminator excluded
  bool expand = true;   // false when any part of the word was quoted
  bool chomp = false;   // `<<-`: leading tabs are stripped when the body is used
  unsigned file_descriptor = 0;  // `3<<EOF` → 3

  bool operator==(const Heredoc&) const = default;
};

struct Node {
  std::string keyword;   // as written: "RUN", "run", "Bogus"
  std::string original;  // the whole logical line, continuations joined
  std::vector<std::string> flags;  // "--name=value" builder flags, in order
  // Arguments. ENV/LABEL: key/value/separator triples. HEALTHCHECK: type, then the command.
  // Unknown keywords: one empty argument (as BuildKit).
  std::vector<std::string> args;
  std::vector<Node> children;  // ONBUILD: the trigger instruction (at most one)
  bool json = false;           // exec form: the arguments came from a JSON array
  std::vector<Heredoc> heredocs;
  std::vector<std::string> comments;  // comment lines directly above the instruction
  int start_line = 0;  // 1-based, inclusive
  int end_line = 0;    // last line consumed, including heredoc bodies
  int column = 1;      // 1-based byte column of the keyword on start_line
};

// A parser directive from the leading comment block (`# syntax=`, `# escape=`, `# check=`).
struct Directive {
  std::string name;  // lower-cased
  std::string value;
  int line = 0;
};

struct Warning {
  std::string message;
  int line = 0;
};

struct Ast {
  std::string file;
  std::vector<Node> instructions;
  std::vector<Directive> directives;
  std::vector<Warning> warnings;
  char escape_token = '\\';
  int start_line = 0;
  int end_line = 0;
};

}  // namespace plinth::dockerfile
