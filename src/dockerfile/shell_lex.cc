#include "dockerfile/shell_lex.h"

#include <algorithm>

#include "dockerfile/limits.h"
#include "dockerfile/shell_pattern.h"
#include "dockerfile/text.h"

namespace plinth::dockerfile {

std::optional<std::string> VarMap::Lookup(std::string_view name) const {
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

namespace {

constexpr char32_t kEof = 0xFFFFFFFF;

// Go's text/scanner Peek/Next over runes: invalid bytes read as U+FFFD, a leading BOM skipped.
class RuneScanner {
 public:
  explicit RuneScanner(std::string_view s) : s_(s) {
    if (s_.size() >= 3 && s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }
  char32_t Peek() const {
    if (pos_ >= s_.size()) return kEof;
    return text::DecodeRune(s_, pos_).rune;
  }
  char32_t Next() {
    if (pos_ >= s_.size()) return kEof;
    text::DecodedRune d = text::DecodeRune(s_, pos_);
    pos_ += d.width;
    return d.rune;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

class Words {
 public:
  void AddChar(char32_t ch) {
    if (text::IsSpace(ch)) {
      if (in_word_ && !word_.empty()) {
        words_.push_back(std::move(word_));
        word_.clear();
        in_word_ = false;
      }
    } else {
      AddRawChar(ch);
    }
  }
  void AddRawChar(char32_t ch) {
    text::AppendRune(word_, ch);
    in_word_ = true;
  }
  void AddString(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
      text::DecodedRune d = text::DecodeRune(s, i);
      AddChar(d.rune);
      i += d.width;
    }
  }
  void AddRawString(std::string_view s) {
    word_.append(s);
    in_word_ = true;
  }
  std::vector<std::string> Take() {
    if (!word_.empty()) {
      words_.push_back(std::move(word_));
      word_.clear();
      in_word_ = false;
    }
    return std::move(words_);
  }

 private:
  std::string word_;
  std::vector<std::string> words_;
  bool in_word_ = false;
};

std::string RuneString(char32_t r) {
  std::string s;
  if (r != kEof) text::AppendRune(s, r);
  return s;
}

class ShellWord {
 public:
  ShellWord(std::string_view input, const Environment& env, const ShellLexOptions& options,
            Expansion* out)
      : scanner_(input), env_(env), options_(options), raw_escapes_(options.raw_escapes),
        out_(out) {}

  // Processes until `stop` (consumed) or the end; kEof means the end.
  Result<std::pair<std::string, std::vector<std::string>>> ProcessStopOn(char32_t stop,
                                                                         bool raw_escapes) {
    bool saved = raw_escapes_;
    raw_escapes_ = raw_escapes;
    auto result = ProcessStopOnImpl(stop);
    raw_escapes_ = saved;
    return result;
  }

 private:
  Result<std::pair<std::string, std::vector<std::string>>> ProcessStopOnImpl(char32_t stop) {
    std::string result;
    Words words;
    const char32_t escape = static_cast<unsigned char>(options_.escape_token);
    while (scanner_.Peek() != kEof) {
      char32_t ch = scanner_.Peek();
      if (stop != kEof && ch == stop) {
        scanner_.Next();
        return std::pair{std::move(result), words.Take()};
      }
      if (ch == '$' || (!options_.skip_process_quotes && (ch == '\'' || ch == '"'))) {
        Result<std::string> part = ch == '$'    ? ProcessDollar()
                                   : ch == '\'' ? ProcessSingleQuote()
                                                : ProcessDoubleQuote();
        if (!part) return std::move(part).error();
        if (part->size() > kMaxExpandedWordSize - std::min(result.size(), kMaxExpandedWordSize))
          return ExpandedWordTooLong();
        result.append(*part);
        if (ch == '$') {
          words.AddString(*part);
        } else {
          words.AddRawString(*part);
        }
        continue;
      }
      ch = scanner_.Next();
      if (ch == escape) {
        if (raw_escapes_) {
          words.AddRawChar(ch);
          text::AppendRune(result, ch);
        }
        ch = scanner_.Next();
        if (ch == kEof) break;
        words.AddRawChar(ch);
      } else {
        words.AddChar(ch);
      }
      text::AppendRune(result, ch);
      if (result.size() > kMaxExpandedWordSize) return ExpandedWordTooLong();
    }
    if (stop != kEof) {
      return InvalidInput("unexpected end of statement while looking for matching " +
                          RuneString(stop));
    }
    return std::pair{std::move(result), words.Take()};
  }

  Result<std::string> ProcessSingleQuote() {
    std::string result;
    char32_t ch = scanner_.Next();
    if (options_.raw_quotes) text::AppendRune(result, ch);
    for (;;) {
      ch = scanner_.Next();
      if (ch == kEof) {
        return InvalidInput(
            "unexpected end of statement while looking for matching single-quote");
      }
      if (ch == '\'') {
        if (options_.raw_quotes) text::AppendRune(result, ch);
        return result;
      }
      text::AppendRune(result, ch);
    }
  }

  Result<std::string> ProcessDoubleQuote() {
    std::string result;
    const char32_t escape = static_cast<unsigned char>(options_.escape_token);
    char32_t ch = scanner_.Next();
    if (options_.raw_quotes) text::AppendRune(result, ch);
    for (;;) {
      char32_t peek = scanner_.Peek();
      if (peek == kEof) {
        return InvalidInput(
            "unexpected end of statement while looking for matching double-quote");
      }
      if (peek == '"') {
        ch = scanner_.Next();
        if (options_.raw_quotes) text::AppendRune(result, ch);
        return result;
      }
      if (peek == '$') {
        PLINTH_TRY(std::string value, ProcessDollar());
        if (value.size() > kMaxExpandedWordSize - std::min(result.size(), kMaxExpandedWordSize))
          return ExpandedWordTooLong();
        result.append(value);
        continue;
      }
      ch = scanner_.Next();
      if (ch == escape) {
        char32_t next = scanner_.Peek();
        if (next == kEof) continue;  // the loop then reports the missing quote
        if (next == '"' || next == '$' || next == escape) {
          if (raw_escapes_) text::AppendRune(result, ch);
          ch = scanner_.Next();
        }
      }
      text::AppendRune(result, ch);
      if (result.size() > kMaxExpandedWordSize) return ExpandedWordTooLong();
    }
  }

  static bool IsSpecialParam(char32_t c) {
    switch (c) {
      case '@': case '*': case '#': case '?': case '-': case '$': case '!': case '0':
        return true;
      default:
        return false;
    }
  }

  std::string ProcessName() {
    std::string name;
    while (scanner_.Peek() != kEof) {
      char32_t ch = scanner_.Peek();
      if (name.empty() && text::IsDigit(ch)) {
        while (scanner_.Peek() != kEof && text::IsDigit(scanner_.Peek())) {
          text::AppendRune(name, scanner_.Next());
        }
        return name;
      }
      if (name.empty() && IsSpecialParam(ch)) {
        text::AppendRune(name, scanner_.Next());
        return name;
      }
      if (!text::IsLetter(ch) && !text::IsDigit(ch) && ch != '_') break;
      text::AppendRune(name, scanner_.Next());
    }
    return name;
  }

  std::optional<std::string> GetEnv(const std::string& name) {
    std::optional<std::string> value = env_.Lookup(name);
    if (value) {
      out_->matched.insert(name);
    } else {
      out_->unmatched.insert(name);
    }
    return value;
  }

  Result<std::string> ProcessDollar() {
    scanner_.Next();
    if (scanner_.Peek() != '{') {
      std::string name = ProcessName();
      if (name.empty()) return std::string("$");
      std::optional<std::string> value = GetEnv(name);
      if (!value && options_.skip_unset_env) return "$" + name;
      return value.value_or("");
    }
    scanner_.Next();
    char32_t peek = scanner_.Peek();
    if (peek == kEof) return InvalidInput("syntax error: missing '}'");
    if (peek == '{' || peek == '}' || peek == ':') {
      return InvalidInput("syntax error: bad substitution");
    }
    std::string name = ProcessName();
    char32_t ch = scanner_.Next();
    if (ch == kEof) return InvalidInput("syntax error: missing '}'");
    std::string chs = RuneString(ch);
    bool null_is_unset = false;
    switch (ch) {
      case '}': {
        std::optional<std::string> value = GetEnv(name);
        if (!value && options_.skip_unset_env) return "${" + name + "}";
        return value.value_or("");
      }
      case ':':
      case '+':
      case '-':
      case '?':
      case '#':
      case '%': {
        if (ch == ':') {
          null_is_unset = true;
          ch = scanner_.Next();
          chs += RuneString(ch);
        }
        bool raw = ch == '#' || ch == '%';
        if (null_is_unset && raw) {
          return InvalidInput("unsupported modifier (" + chs + ") in substitution");
        }
        if (++depth_ > kMaxDepth) return InvalidInput("substitutions nested too deeply");
        auto word_or = ProcessStopOn('}', raw);
        --depth_;
        if (!word_or) {
          if (scanner_.Peek() == kEof) return InvalidInput("syntax error: missing '}'");
          return std::move(word_or).error();
        }
        std::string word = std::move(word_or->first);
        std::optional<std::string> value = GetEnv(name);
        if (options_.skip_unset_env && !value) return "${" + name + chs + word + "}";
        bool empty_or_unset = !value || (null_is_unset && value->empty());
        switch (ch) {
          case '-':
            return empty_or_unset ? word : *value;
          case '+':
            return empty_or_unset ? std::string() : word;
          case '?':
            if (!value) {
              return InvalidInput(name + ": " + (word.empty() ? "is not allowed to be unset" : word));
            }
            if (null_is_unset && value->empty()) {
              return InvalidInput(name + ": " + (word.empty() ? "is not allowed to be empty" : word));
            }
            return *value;
          case '%':
          case '#': {
            Greed greed = Greed::kShortest;
            if (!word.empty() && static_cast<unsigned char>(word[0]) == ch) {
              greed = Greed::kLongest;
              word.erase(0, 1);
            }
            std::string v = value.value_or("");
            if (ch == '%') return TrimSuffixPattern(word, v, greed);
            return TrimPrefixPattern(word, v, greed);
          }
          default:
            return InvalidInput("unsupported modifier (" + chs + ") in substitution");
        }
      }
      case '/': {
        ReplaceCount count = ReplaceCount::kFirst;
        if (scanner_.Peek() == '/') {
          count = ReplaceCount::kAll;
          scanner_.Next();
        }
        if (++depth_ > kMaxDepth) return InvalidInput("substitutions nested too deeply");
        auto pattern = ProcessStopOn('/', true);
        if (!pattern) {
          if (scanner_.Peek() == kEof) return InvalidInput("syntax error: missing '/' in ${}");
          return std::move(pattern).error();
        }
        auto replacement = ProcessStopOn('}', true);
        --depth_;
        if (!replacement) {
          if (scanner_.Peek() == kEof) return InvalidInput("syntax error: missing '}'");
          return std::move(replacement).error();
        }
        std::optional<std::string> value = GetEnv(name);
        if (options_.skip_unset_env && !value) {
          return "${" + name + "/" + pattern->first + "/" + replacement->first + "}";
        }
        return ReplacePattern(pattern->first, replacement->first, value.value_or(""), count);
      }
      default:
        return InvalidInput("unsupported modifier (" + chs + ") in substitution");
    }
  }

  // BuildKit recurses without bound; a limit keeps hostile input from exhausting the stack.
  static constexpr int kMaxDepth = 256;
  int depth_ = 0;
  RuneScanner scanner_;
  const Environment& env_;
  const ShellLexOptions& options_;
  bool raw_escapes_;
  Expansion* out_;
};

}  // namespace

Result<Expansion> ShellLex::Process(std::string_view input, const Environment& env) const {
  Expansion out;
  ShellWord sw(input, env, options_, &out);
  auto r = sw.ProcessStopOn(kEof, options_.raw_escapes);
  if (!r) {
    return InvalidInput("failed to process \"" + std::string(input) + "\": " + r.error().message());
  }
  out.word = std::move(r->first);
  out.words = std::move(r->second);
  return out;
}

Result<std::string> ShellLex::ProcessWord(std::string_view input, const Environment& env) const {
  PLINTH_TRY(Expansion e, Process(input, env));
  return std::move(e.word);
}

Result<std::vector<std::string>> ShellLex::ProcessWords(std::string_view input,
                                                        const Environment& env) const {
  PLINTH_TRY(Expansion e, Process(input, env));
  return std::move(e.words);
}

}  // namespace plinth::dockerfile
