#include "lint/shell_command.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace plinth::lint {
namespace {

// Deeper nesting of `$( … )`, backticks and shell heredocs is kept as text, unparsed: hostile
// input cannot exhaust the stack.
constexpr int kMaxDepth = 32;

bool IsAssignment(const std::string& word) {
  auto eq = word.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  if (std::isdigit(static_cast<unsigned char>(word[0]))) return false;
  return std::all_of(word.begin(), word.begin() + eq, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

size_t ProgramIndex(const std::vector<std::string>& words) {
  size_t i = 0;
  while (i < words.size()) {
    const std::string& w = words[i];
    if (IsAssignment(w) || w == "sudo" || w == "env" || w == "exec" || w == "command") {
      ++i;
    } else if (!w.empty() && w[0] == '-' && i > 0 &&
               (words[i - 1] == "sudo" || words[i - 1] == "env")) {
      ++i;  // sudo -E, env -i
    } else {
      break;
    }
  }
  return i;
}

size_t FirstNonAssignment(const ShellCommand& c) {
  size_t i = 0;
  while (i < c.words.size() && IsAssignment(c.words[i])) ++i;
  return i;
}

bool IsLiteral(const ShellCommand& c, size_t i) { return i >= c.literal.size() || c.literal[i]; }

// Index of the word that names the command (hadolint's view), or words.size().
size_t NameIndex(const ShellCommand& c) {
  size_t i = FirstNonAssignment(c);
  if (i >= c.words.size()) return i;
  const std::string& w = c.words[i];
  if ((w == "command" || w == "builtin" || w == "busybox" || w == "run") &&
      i + 1 < c.words.size() && !c.words[i + 1].starts_with("-"))
    return i + 1;
  if (w == "exec") {
    size_t j = i + 1;
    while (j < c.words.size() && c.words[j].starts_with("-") && c.words[j] != "--") {
      if (c.words[j] == "-a") ++j;  // exec -a NAME
      ++j;
    }
    if (j < c.words.size() && c.words[j] == "--") ++j;
    if (j < c.words.size()) return j;
  }
  return i;
}

// The flags in one word, as hadolint splits them; empty if the word is no flag.
std::vector<std::string> FlagsOfWord(const std::string& w) {
  if (w == "-" || w == "--" || !w.starts_with("-")) return {};
  if (w.starts_with("--"))
    return {w.substr(2, w.find('=') == std::string::npos ? std::string::npos : w.find('=') - 2)};
  std::vector<std::string> out;
  for (size_t i = 1; i < w.size(); ++i) out.emplace_back(1, w[i]);
  return out;
}

bool IsReservedWord(const std::string& w) {
  static const char* kWords[] = {"if",    "then", "else", "elif", "fi",   "do",   "done", "while",
                                 "until", "{",    "}",    "!",    "esac", "time", "in"};
  for (const char* k : kWords)
    if (w == k) return true;
  return false;
}

// A here-document redirection and the command it belongs to.
struct HeredocUse {
  std::string delimiter;  // quotes removed
  bool strip_tabs = false;
  ShellCommand owner;  // empty words: a bare `<<EOF`
};

// Whether a heredoc read by `owner` is a script for the shell: a bare `<<EOF` (a RUN's own
// heredoc), or a shell given no script argument (`bash -e <<EOF`).
bool FeedsShell(const ShellCommand& owner) {
  if (owner.words.empty()) return true;
  return IsPosixShellName(owner.Name()) && owner.ArgsNoFlags().empty();
}

bool BodyIsShell(std::string_view body) {
  if (!body.starts_with("#!")) return true;
  std::string_view line = body.substr(
      2, body.find('\n') == std::string_view::npos ? body.size() - 2 : body.find('\n') - 2);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  std::string_view program = line.substr(0, line.find(' '));
  if (program.ends_with("/env")) {
    line.remove_prefix(std::min(line.size(), program.size()));
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    program = line.substr(0, line.find(' '));
  }
  return IsPosixShellName(program);
}

class Parser {
 public:
  // `base`: where `s` starts in the text the spans are relative to; kUnknown when it is not a
  // verbatim part of it.
  Parser(std::string_view s, int depth, ShellScript* out, size_t base = 0)
      : s_(s), depth_(depth), out_(out), base_(base) {}

  // Parses the whole text. Heredocs whose bodies are not in the text (a RUN's own, which the
  // Dockerfile holds) are left in `unresolved`.
  bool Parse(std::vector<HeredocUse>* unresolved) {
    while (i_ < s_.size() && ok_) Step();
    EndCommand();
    if (unresolved) *unresolved = std::move(pending_heredocs_);
    return ok_;
  }

 private:
  void Fail() { ok_ = false; }

  // Parses `text` (from `$( … )`, backticks or a shell heredoc) into inner_ commands.
  void ParseNested(std::string_view text, size_t at = ShellCommand::kUnknown) {
    if (depth_ >= kMaxDepth) return;
    ShellScript nested;
    Parser p(text, depth_ + 1, &nested,
             at == ShellCommand::kUnknown || base_ == ShellCommand::kUnknown ? ShellCommand::kUnknown
                                                                          : base_ + at);
    if (!p.Parse(nullptr)) {
      Fail();
      return;
    }
    out_->has_pipe = out_->has_pipe || nested.has_pipe;
    for (auto& c : nested.commands) inner_.push_back(std::move(c));
  }

  void StartWord() {
    if (!in_word_) word_begin_ = token_start_;
    in_word_ = true;
    appended_ = true;
  }
  void Append(char c) {
    StartWord();
    word_ += c;
  }
  void Append(std::string_view t) {
    StartWord();
    word_ += t;
  }
  size_t Offset(size_t local) const {
    return base_ == ShellCommand::kUnknown ? ShellCommand::kUnknown : base_ + local;
  }

  void EndWord() {
    if (!in_word_) return;
    std::string w = std::move(word_);
    bool literal = word_literal_;
    word_.clear();
    in_word_ = false;
    word_literal_ = true;
    if (heredoc_next_) {
      pending_command_heredocs_.push_back({w, heredoc_next_ == 2, {}});
      heredoc_next_ = 0;
      return;
    }
    if (redirect_target_) {
      redirect_target_ = false;
      return;
    }
    if (case_header_) {  // case WORD in
      if (w == "in" && literal) case_header_ = false, expect_pattern_ = true;
      return;
    }
    if (skip_words_) {  // for NAME in WORDS…; function NAME
      if (w == "{") skip_words_ = false;
      return;
    }
    if (command_.words.empty() && literal) {
      if (w == "for" || w == "select" || w == "function") {
        skip_words_ = true;
        return;
      }
      if (w == "case") {
        case_header_ = true;
        ++case_depth_;
        return;
      }
      if (w == "esac") {
        if (case_depth_ > 0) --case_depth_;
        expect_pattern_ = false;
        return;
      }
      if (IsReservedWord(w)) return;
    }
    command_.words.push_back(std::move(w));
    command_.literal.push_back(literal);
    command_.begins.push_back(Offset(word_begin_));
    command_.ends.push_back(Offset(word_end_));
  }

  void EndCommand() {
    EndWord();
    skip_words_ = false;
    redirect_target_ = false;
    if (!command_.words.empty()) out_->commands.push_back(command_);
    for (auto& h : pending_command_heredocs_) {
      h.owner = command_;
      pending_heredocs_.push_back(std::move(h));
    }
    pending_command_heredocs_.clear();
    for (auto& c : inner_) out_->commands.push_back(std::move(c));
    inner_.clear();
    command_ = ShellCommand{};
  }

  // After a newline: the bodies of heredocs started on the line just ended.
  void ReadHeredocBodies() {
    for (auto& h : pending_heredocs_) {
      std::string body;
      size_t body_start = i_;
      bool found = false;
      while (i_ < s_.size()) {
        size_t nl = s_.find('\n', i_);
        std::string_view line =
            s_.substr(i_, nl == std::string_view::npos ? s_.size() - i_ : nl - i_);
        i_ = nl == std::string_view::npos ? s_.size() : nl + 1;
        std::string_view cmp = line;
        if (h.strip_tabs)
          while (!cmp.empty() && cmp.front() == '\t') cmp.remove_prefix(1);
        if (cmp == h.delimiter) {
          found = true;
          break;
        }
        body += line;
        body += '\n';
      }
      (void)found;  // an unterminated body runs to the end, as in sh
      if (FeedsShell(h.owner) && BodyIsShell(body)) {
        ParseNested(body, body_start);
        for (auto& c : inner_) out_->commands.push_back(std::move(c));
        inner_.clear();
      }
    }
    pending_heredocs_.clear();
  }

  // Index of the `)` closing a `(` whose inside starts at `from`, honouring quotes; npos.
  size_t MatchParen(size_t from) const {
    int depth = 1;
    for (size_t j = from; j < s_.size(); ++j) {
      char c = s_[j];
      if (c == '\\') {
        ++j;
      } else if (c == '\'') {
        j = s_.find('\'', j + 1);
        if (j == std::string_view::npos) return j;
      } else if (c == '"') {
        for (++j; j < s_.size() && s_[j] != '"'; ++j)
          if (s_[j] == '\\') ++j;
        if (j >= s_.size()) return std::string_view::npos;
      } else if (c == '`') {
        for (++j; j < s_.size() && s_[j] != '`'; ++j)
          if (s_[j] == '\\') ++j;
        if (j >= s_.size()) return std::string_view::npos;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (--depth == 0) return j;
      }
    }
    return std::string_view::npos;
  }

  size_t MatchBrace(size_t from) const {
    int depth = 1;
    for (size_t j = from; j < s_.size(); ++j) {
      char c = s_[j];
      if (c == '\\') {
        ++j;
      } else if (c == '\'') {
        j = s_.find('\'', j + 1);
        if (j == std::string_view::npos) return j;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}') {
        if (--depth == 0) return j;
      }
    }
    return std::string_view::npos;
  }

  // At `$`: an expansion. Its text stays in the word; command substitutions are parsed.
  void Dollar() {
    size_t start = i_;
    char next = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    if (next == '(') {
      bool arithmetic = i_ + 2 < s_.size() && s_[i_ + 2] == '(';
      size_t close = MatchParen(i_ + 2);
      if (close == std::string_view::npos) return Fail();
      if (!arithmetic) ParseNested(s_.substr(i_ + 2, close - i_ - 2), i_ + 2);
      i_ = close + 1;
    } else if (next == '{') {
      size_t close = MatchBrace(i_ + 2);
      if (close == std::string_view::npos) return Fail();
      i_ = close + 1;
    } else if (next == '\'') {  // $'…': ANSI-C quoting, a literal
      size_t j = i_ + 2;
      std::string text;
      for (; j < s_.size() && s_[j] != '\''; ++j) {
        if (s_[j] == '\\' && j + 1 < s_.size()) {
          char e = s_[++j];
          text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        } else {
          text += s_[j];
        }
      }
      if (j >= s_.size()) return Fail();
      Append(text);
      i_ = j + 1;
      return;
    } else if (std::isalpha(static_cast<unsigned char>(next)) || next == '_') {
      i_ += 2;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_'))
        ++i_;
    } else if (next != '\0' &&
               std::string_view("@*#?$!-0123456789").find(next) != std::string_view::npos) {
      i_ += 2;
    } else {
      Append('$');  // a lone dollar is a literal character
      ++i_;
      return;
    }
    Append(s_.substr(start, i_ - start));
    word_literal_ = false;
  }

  void Backtick() {
    size_t j = i_ + 1;
    std::string inner;
    for (; j < s_.size() && s_[j] != '`'; ++j) {
      if (s_[j] == '\\' && j + 1 < s_.size() &&
          (s_[j + 1] == '`' || s_[j + 1] == '\\' || s_[j + 1] == '$')) {
        inner += s_[++j];
      } else {
        inner += s_[j];
      }
    }
    if (j >= s_.size()) return Fail();
    ParseNested(inner, inner.size() == j - i_ - 1 ? i_ + 1 : ShellCommand::kUnknown);
    Append(s_.substr(i_, j + 1 - i_));
    word_literal_ = false;
    i_ = j + 1;
  }

  void DoubleQuoted() {
    StartWord();
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"' && ok_) {
      char c = s_[i_];
      if (c == '\\' && i_ + 1 < s_.size()) {
        char e = s_[i_ + 1];
        if (e == '\n') {
        } else if (e == '$' || e == '`' || e == '"' || e == '\\') {
          Append(e);
        } else {
          Append(c), Append(e);
        }
        i_ += 2;
      } else if (c == '$') {
        Dollar();
      } else if (c == '`') {
        Backtick();
      } else {
        Append(c);
        ++i_;
      }
    }
    if (i_ >= s_.size()) return Fail();
    ++i_;
  }

  // At `<` or `>` (or `&>`): a redirection; its target word is not an argument.
  void Redirection() {
    if (in_word_ && word_literal_ && !word_.empty() &&
        std::all_of(word_.begin(), word_.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      word_.clear();  // the file descriptor of `2>`
      in_word_ = false;
    } else {
      EndWord();
    }
    if (s_.substr(i_).starts_with("<<<")) {
      i_ += 3;
      redirect_target_ = true;
    } else if (s_.substr(i_).starts_with("<<-")) {
      i_ += 3;
      heredoc_next_ = 2;
    } else if (s_.substr(i_).starts_with("<<")) {
      i_ += 2;
      heredoc_next_ = 1;
    } else {
      ++i_;  // < > &>
      if (i_ < s_.size() && (s_[i_] == '>' || s_[i_] == '&' || s_[i_] == '|' || s_[i_] == '<')) {
        bool dup = s_[i_] == '&';
        ++i_;
        if (dup) {  // >&2, <&0, >&-: the target is a descriptor
          while (i_ < s_.size() &&
                 (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-'))
            ++i_;
          return;
        }
      }
      redirect_target_ = true;
    }
  }

  // One token; a word's end is where the last token that added to it ends (a line continuation
  // after a word is not part of it).
  void Step() {
    token_start_ = i_;
    appended_ = false;
    StepToken();
    if (in_word_ && appended_) word_end_ = i_;
  }

  void StepToken() {
    char c = s_[i_];
    char next = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    switch (c) {
      case '\\':
        if (next == '\n') {
          i_ += 2;
        } else if (next == '\0') {
          ++i_;
        } else {
          Append(next);
          i_ += 2;
        }
        return;
      case '\'': {
        size_t close = s_.find('\'', i_ + 1);
        if (close == std::string_view::npos) return Fail();
        Append(s_.substr(i_ + 1, close - i_ - 1));
        i_ = close + 1;
        return;
      }
      case '"':
        return DoubleQuoted();
      case '$':
        return Dollar();
      case '`':
        return Backtick();
      case '#':
        if (in_word_) break;
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
        return;
      case ' ':
      case '\t':
      case '\r':
        EndWord();
        ++i_;
        return;
      case '\n':
        EndCommand();
        ++i_;
        ReadHeredocBodies();
        return;
      case ';':
        EndCommand();
        i_ += 1;
        if (next == ';' || next == '&') {  // ;; ;& ;;& end a case clause
          ++i_;
          if (i_ < s_.size() && s_[i_] == '&') ++i_;
          if (case_depth_ > 0) expect_pattern_ = true;
        }
        return;
      case '|':
        if (expect_pattern_) break;  // a|b) in a case pattern
        EndCommand();
        if (next == '|') {
          i_ += 2;
        } else {
          out_->has_pipe = true;
          i_ += next == '&' ? 2 : 1;
        }
        return;
      case '&':
        if (next == '>') return Redirection();
        EndCommand();
        i_ += next == '&' ? 2 : 1;
        return;
      case '<':
      case '>':
        if (next == '(') {  // process substitution <( … ): its commands are commands
          size_t close = MatchParen(i_ + 2);
          if (close == std::string_view::npos) return Fail();
          ParseNested(s_.substr(i_ + 2, close - i_ - 2), i_ + 2);
          Append(s_.substr(i_, close + 1 - i_));
          word_literal_ = false;
          i_ = close + 1;
          return;
        }
        return Redirection();
      case '(': {
        if (expect_pattern_ && !in_word_ && command_.words.empty()) {  // (a) in a case pattern
          ++i_;
          return;
        }
        if (next == '(' && !in_word_ && command_.words.empty()) {  // (( arithmetic ))
          size_t close = MatchParen(i_ + 2);
          if (close == std::string_view::npos) return Fail();
          i_ = close + 1;
          if (i_ < s_.size() && s_[i_] == ')') ++i_;
          return;
        }
        EndWord();
        size_t j = i_ + 1;
        while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t')) ++j;
        if (!command_.words.empty() && j < s_.size() && s_[j] == ')') {  // name() { …; }
          command_ = ShellCommand{};
          i_ = j + 1;
          return;
        }
        EndCommand();  // a subshell: its commands follow
        ++i_;
        return;
      }
      case ')':
        if (expect_pattern_) {
          EndWord();
          command_ = ShellCommand{};
          expect_pattern_ = false;
          ++i_;
          return;
        }
        EndCommand();
        ++i_;
        return;
      default:
        break;
    }
    Append(c);
    ++i_;
  }

  std::string_view s_;
  int depth_;
  ShellScript* out_;
  size_t base_;
  size_t i_ = 0;
  size_t token_start_ = 0, word_begin_ = 0, word_end_ = 0;
  bool appended_ = false;
  bool ok_ = true;
  ShellCommand command_;
  std::string word_;
  bool in_word_ = false;
  bool word_literal_ = true;
  bool redirect_target_ = false;
  int heredoc_next_ = 0;  // 1: the next word is a heredoc delimiter; 2: the same for <<-
  bool skip_words_ = false;
  bool case_header_ = false;
  bool expect_pattern_ = false;
  int case_depth_ = 0;
  std::vector<ShellCommand> inner_;  // from substitutions in the current command
  std::vector<HeredocUse> pending_command_heredocs_;
  std::vector<HeredocUse> pending_heredocs_;
};

ShellScript ParseScript(std::string_view text, std::vector<HeredocUse>* unresolved) {
  ShellScript script;
  Parser parser(text, 0, &script);
  if (!parser.Parse(unresolved)) {
    script = ShellScript{};
    script.parsed = false;
    if (unresolved) unresolved->clear();
  }
  return script;
}

}  // namespace

std::string ShellCommand::Program() const {
  size_t i = ProgramIndex(words);
  if (i >= words.size()) return "";
  std::string p = words[i];
  auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::vector<std::string> ShellCommand::Arguments() const {
  size_t i = ProgramIndex(words);
  if (i >= words.size()) return {};
  return {words.begin() + i + 1, words.end()};
}

std::string ShellCommand::Name() const {
  size_t i = NameIndex(*this);
  if (i >= words.size() || !IsLiteral(*this, i)) return "";
  return words[i];
}

size_t ShellCommand::NameAt() const { return NameIndex(*this); }

std::vector<std::string> ShellCommand::Args() const {
  size_t i = NameIndex(*this);
  if (i >= words.size()) return {};
  return {words.begin() + i + 1, words.end()};
}

std::vector<std::string> ShellCommand::Flags() const {
  std::vector<std::string> out;
  for (const auto& a : Args())
    for (auto& f : FlagsOfWord(a)) out.push_back(std::move(f));
  return out;
}

bool ShellCommand::HasFlag(std::string_view flag) const { return HasAnyFlag({flag}); }

bool ShellCommand::HasAnyFlag(std::initializer_list<std::string_view> flags) const {
  for (const auto& f : Flags())
    for (auto want : flags)
      if (f == want) return true;
  return false;
}

bool ShellCommand::HasArg(std::string_view arg) const {
  for (const auto& a : Args())
    if (a == arg) return true;
  return false;
}

bool ShellCommand::Is(std::string_view name, std::initializer_list<std::string_view> args) const {
  if (Name() != name) return false;
  for (const auto& a : Args())
    for (auto want : args)
      if (a == want) return true;
  return false;
}

std::vector<std::string> ShellCommand::ArgsNoFlags(
    std::initializer_list<std::string_view> flags_with_values) const {
  std::vector<std::string> args = Args(), out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::vector<std::string> flags = FlagsOfWord(args[i]);
    if (flags.empty()) {
      out.push_back(args[i]);
      continue;
    }
    // As hadolint: a flag that takes a value drops the next word, even after `--flag=value`.
    for (const auto& f : flags)
      if (std::find(flags_with_values.begin(), flags_with_values.end(), f) !=
          flags_with_values.end()) {
        ++i;
        break;
      }
  }
  return out;
}

std::vector<std::string> ShellCommand::FlagValues(std::string_view flag) const {
  std::vector<std::string> args = Args(), out;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    auto flags = FlagsOfWord(args[i]);
    if (std::find(flags.begin(), flags.end(), flag) != flags.end()) out.push_back(args[i + 1]);
  }
  return out;
}

ShellScript SplitShell(std::string_view script) { return ParseScript(script, nullptr); }

ShellScript CommandsOf(const dockerfile::Instruction& run) {
  ShellScript script;
  std::vector<HeredocUse> uses;
  if (run.command.form == dockerfile::CommandForm::kExec) {
    if (!run.command.args.empty()) {
      ShellCommand c{run.command.args, std::vector<bool>(run.command.args.size(), true)};
      script.commands.push_back(std::move(c));
    }
  } else {
    std::string text;
    for (const auto& a : run.command.args) text += (text.empty() ? "" : " ") + a;
    script = ParseScript(text, &uses);
  }
  for (const auto& h : run.heredocs) {
    auto use = std::find_if(uses.begin(), uses.end(),
                            [&](const HeredocUse& u) { return u.delimiter == h.name; });
    if (use == uses.end() || !FeedsShell(use->owner) || !BodyIsShell(h.content)) continue;
    ShellScript body = SplitShell(h.content);
    script.parsed = script.parsed && body.parsed;
    script.has_pipe = script.has_pipe || body.has_pipe;
    for (auto& c : body.commands) script.commands.push_back(std::move(c));
  }
  return script;
}

std::string PackageManagerUse(const ShellCommand& command) {
  std::string program = command.Program();
  std::vector<std::string> args = command.Arguments();
  auto has = [&](std::initializer_list<const char*> words) {
    for (const auto& a : args)
      for (const char* w : words)
        if (a == w) return true;
    return false;
  };
  if (program == "apt-get" || program == "apt" || program == "aptitude" || program == "apk" ||
      program == "yum" || program == "dnf" || program == "microdnf" || program == "zypper")
    return program;
  if ((program == "dpkg" && has({"-i", "--install"})) ||
      (program == "rpm" && has({"-i", "-U", "--install"})))
    return program + " -i";
  if ((program == "pip" || program == "pip3") && has({"install"})) return program + " install";
  if (program.starts_with("python") && has({"pip"}) && has({"install"})) return "pip install";
  return "";
}

bool IsPosixShellName(std::string_view program) {
  auto slash = program.rfind('/');
  std::string_view base = slash == std::string_view::npos ? program : program.substr(slash + 1);
  return base == "sh" || base == "bash" || base == "ash" || base == "dash" || base == "zsh" ||
         base == "ksh" || base == "mksh";
}

}  // namespace plinth::lint
