// The fixes of whole instructions: DL3025 (CMD/ENTRYPOINT to exec form), DL4000 (MAINTAINER to
// a LABEL), DL3020 (ADD of local files to COPY) and PL107 (an upstream FROM pinned to its
// digest).
#include <algorithm>
#include <cctype>

#include "lint/add_source.h"
#include "lint/fix_rules.h"
#include "lint/suppressions.h"

namespace plinth::lint::fix {
namespace {

using dockerfile::Instruction;
using dockerfile::InstructionKind;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The keyword `upper` written in the case the file wrote `written` in.
std::string InCaseOf(const std::string& written, const std::string& upper) {
  bool lower = std::none_of(written.begin(), written.end(),
                            [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  if (lower) {
    std::string out = upper;
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }
  bool upper_case = std::none_of(written.begin(), written.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c));
  });
  if (upper_case) return upper;
  std::string out = upper;
  for (size_t i = 1; i < out.size(); ++i)
    out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
  return out;
}

std::string JsonString(const std::string& s) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// Builtins and keywords: as the first word of an exec form they would not run.
bool IsShellBuiltin(const std::string& w) {
  static const char* kWords[] = {
      "cd",      "export",   "set",  "unset",   "source",  ".",       "eval", "exec",    "alias",
      "ulimit",  "umask",    "trap", "wait",    "read",    "shift",   "exit", "return",  "readonly",
      "local",   "time",     "if",   "for",     "while",   "until",   "case", "!",       "{",
      "[[",      "function", "let",  "declare", "typeset", "hash",    "type", "getopts", "command",
      "builtin", "jobs",     "fg",   "bg",      "break",   "continue"};
  for (const char* k : kWords)
    if (w == k) return true;
  return false;
}

// Whether the text after the keyword is words only: no operator, expansion, redirection, glob,
// comment or escape outside quotes; no expansion or escape inside double quotes.
bool PlainWords(const std::string& t, size_t from, std::string* why) {
  char quote = 0;
  for (size_t i = from; i < t.size(); ++i) {
    char c = t[i];
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else if (c == '\n')
        return *why = "a quoted word spans lines", false;
      continue;
    }
    if (quote == '"') {
      if (c == '"')
        quote = 0;
      else if (c == '$' || c == '`' || c == '\\' || c == '!')
        return *why = "an expansion or escape inside quotes", false;
      else if (c == '\n')
        return *why = "a quoted word spans lines", false;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '\\') {
      if (i + 1 >= t.size() || t[i + 1] != '\n') return *why = "an escaped character", false;
      ++i;
    } else if (c == '\n') {
      return *why = "more than one line of commands", false;
    } else if (std::string_view("|&;<>()$`*?[]{}~!#").find(c) != std::string_view::npos) {
      *why = std::string("the shell is needed for `") + c + "`";
      return false;
    }
  }
  if (quote) return *why = "an unclosed quote", false;
  return true;
}

// The SHELL in force at `ins`: the last SHELL before it in its stage or the stages it is
// built on; empty when there is none.
std::string ShellProgramAt(const DockerfileView& view, const LintStage& stage,
                           const Instruction& ins) {
  for (const LintStage* s = &stage; s; s = s->parent >= 0 ? &view.stages[s->parent] : nullptr) {
    std::string found;
    for (const auto& i : s->instructions) {
      if (s == &stage && i.location.line >= ins.location.line) break;
      if (i.kind == InstructionKind::kShell && !i.command.args.empty())
        found = i.command.args.front();
    }
    if (!found.empty()) return found;
  }
  return "";
}

}  // namespace

Outcome FixExecForm(const Source& source, const LintStage& stage, const Instruction& ins) {
  if (ins.kind != InstructionKind::kCmd && ins.kind != InstructionKind::kEntrypoint)
    return Skip("not fixed inside ONBUILD");
  if (ins.command.form != dockerfile::CommandForm::kShell) return Skip("already in exec form");
  if (source.view.ast.escape_token != '\\')
    return Skip("not fixed in a file with another escape character");
  std::string shell = ShellProgramAt(source.view, stage, ins);
  std::string pragma = ShellPragmaAt(source.view, ins.location.line);
  if ((!shell.empty() && !IsPosixShellName(shell)) ||
      (!pragma.empty() && !IsPosixShellName(pragma)))
    return Skip("the stage's shell is not a POSIX shell");
  if (ins.kind == InstructionKind::kEntrypoint)
    for (const auto& i : stage.instructions)
      if (i.kind == InstructionKind::kCmd)
        return Skip("the stage has a CMD, which an exec-form ENTRYPOINT would take as arguments");
  ShellText text = ShellTextOf(source, ins);
  std::string why;
  size_t after_keyword = 0;
  while (after_keyword < text.text.size() && IsBlank(text.text[after_keyword])) ++after_keyword;
  if (!PlainWords(text.text, after_keyword, &why)) return Skip("not a plain command: " + why);
  ShellScript script = SplitShell(text.text);
  if (!script.parsed || script.commands.size() != 1 || script.has_pipe)
    return Skip("not a plain command");
  const ShellCommand& c = script.commands.front();
  if (c.words.empty() || c.begins.empty() || c.begins.front() != after_keyword ||
      c.begins.size() != c.words.size())
    return Skip("not a plain command");  // a reserved word the parse dropped
  for (size_t i = 0; i < c.words.size(); ++i) {
    if (!c.literal[i] || c.begins[i] == ShellCommand::kUnknown) return Skip("not a plain command");
    if (text.text.find('\n', c.begins[i]) < c.ends[i])
      return Skip("a word continues on the next line");
  }
  size_t first = 0;
  if (c.words[0] == "exec" && c.words.size() > 1 && !c.words[1].starts_with("-")) first = 1;
  if (c.words[first].find('=') != std::string::npos)
    return Skip("the command starts with an assignment");
  if (IsShellBuiltin(c.words[first])) return Skip("`" + c.words[first] + "` is a shell builtin");
  // One edit per line, so the lines and their continuations stay where they are.
  Outcome out;
  size_t i = 0;
  bool opened = false;
  while (i < c.words.size()) {
    size_t line_end = text.text.find('\n', c.begins[i]);
    size_t j = i;
    std::string json;
    while (j < c.words.size() && c.begins[j] < line_end) {
      if (j >= first) {
        if (!opened)
          json += "[", opened = true;
        else if (!json.empty())
          json += ", ";
        json += JsonString(c.words[j]);
      }
      ++j;
    }
    if (!json.empty()) json += j == c.words.size() ? "]" : ",";
    out.edits.push_back({text.begin + c.begins[i], text.begin + c.ends[j - 1], json});
    i = j;
  }
  out.text = std::string(KeywordOf(ins.kind)) + " in exec form";
  return out;
}

Outcome FixMaintainer(const Source& source, const Instruction& ins) {
  if (ins.kind != InstructionKind::kMaintainer) return Skip("not fixed inside ONBUILD");
  if (ins.end_line != ins.location.line) return Skip("a MAINTAINER over several lines");
  size_t begin = source.Offset(ins.location), end = source.LineEnd(ins.location.line);
  std::string line = source.content.substr(begin, end - begin);
  size_t keyword_end = line.find_first_of(" \t");
  if (keyword_end == std::string::npos) return Skip("MAINTAINER without a name");
  size_t value_begin = line.find_first_not_of(" \t", keyword_end);
  size_t value_end = line.find_last_not_of(" \t");
  if (value_begin == std::string::npos) return Skip("MAINTAINER without a name");
  std::string value = line.substr(value_begin, value_end + 1 - value_begin);
  std::string escaped;
  for (char c : value) {
    if (c == '"' || c == '\\' || c == '$') escaped += '\\';
    escaped += c;
  }
  std::string keyword = InCaseOf(line.substr(0, keyword_end), "LABEL");
  return {{{begin, begin + value_end + 1, keyword + " maintainer=\"" + escaped + "\""}},
          "MAINTAINER → LABEL maintainer"};
}

Outcome FixAddToCopy(const Source& source, const Instruction& ins) {
  if (ins.kind != InstructionKind::kAdd) return Skip("not fixed inside ONBUILD");
  for (const auto& raw : ins.copy.sources) {
    std::string src = raw;
    if (src.size() >= 2 && (src.front() == '"' || src.front() == '\'') && src.back() == src.front())
      src = src.substr(1, src.size() - 2);
    if (src.starts_with("<<")) return Skip("ADD of a heredoc");
    if (IsAddUrl(src) || IsAddArchive(src))
      return Skip("ADD also fetches a URL or unpacks an archive (" + src + "); split it by hand");
  }
  if (!ins.copy.checksum.empty()) return Skip("COPY has no --checksum");
  if (ins.copy.keep_git_dir) return Skip("COPY has no --keep-git-dir");
  if (ins.copy.unpack) return Skip("COPY has no --unpack");
  size_t begin = source.Offset(ins.location);
  std::string keyword = source.content.substr(begin, 3);
  return {{{begin, begin + 3, InCaseOf(keyword, "COPY")}}, "ADD → COPY"};
}

Outcome FixPinDigest(const Source& source, const LintStage& stage, const DigestResolver& resolve) {
  if (!stage.from) return Skip("no FROM");
  const std::string& image = stage.base_written;
  if (image.find('$') != std::string::npos) return Skip("the image is written with a variable");
  if (image.find('@') != std::string::npos) return Skip("already pinned");
  if (!resolve) return Skip("no store or registry to resolve the digest in");
  auto digest = resolve(image);
  if (!digest) return Skip("cannot resolve " + image + ": " + digest.error().message());
  const std::string& d = *digest;
  bool well_formed = d.size() == 71 && d.starts_with("sha256:") &&
                     d.find_first_not_of("0123456789abcdef", 7) == std::string::npos;
  if (!well_formed) return Skip("resolving " + image + " gave no sha256 digest (" + d + ")");
  size_t begin = source.Offset(stage.from->location) + 4;
  size_t end = source.LineEnd(stage.from->end_line);
  std::string_view text(source.content);
  for (size_t pos = text.find(image, begin); pos != std::string_view::npos && pos < end;
       pos = text.find(image, pos + 1)) {
    size_t after = pos + image.size();
    if (IsBlank(text[pos - 1]) &&
        (after >= text.size() || IsBlank(text[after]) || text[after] == '\\'))
      return {{{after, after, "@" + d}}, "pinned " + image + " to @" + d};
  }
  return Skip("the image is not written as one word in the FROM line");
}

}  // namespace plinth::lint::fix
