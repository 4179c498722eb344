#include "dockerfile/shell_pattern.h"

#include <algorithm>

#include "dockerfile/limits.h"
#include "dockerfile/text.h"

namespace plinth::dockerfile {
namespace {

struct Runes {
  std::vector<char32_t> runes;
  std::vector<size_t> offsets;  // byte offset of each rune, plus the end
};

Runes Decode(std::string_view s) {
  Runes r;
  size_t i = 0;
  while (i < s.size()) {
    text::DecodedRune d = text::DecodeRune(s, i);
    r.runes.push_back(d.rune);
    r.offsets.push_back(i);
    i += d.width;
  }
  r.offsets.push_back(s.size());
  return r;
}

// First-match-in-priority-order of tokens[i..] at rune t, memoised: returns the end rune or -1.
class Matcher {
 public:
  Matcher(const std::vector<char32_t>& text, size_t ntokens)
      : text_(text), width_(text.size() + 1), memo_((ntokens + 1) * width_, -2) {}

  template <typename Tokens, typename Greedy>
  long Match(const Tokens& tokens, Greedy greedy, size_t i, size_t t) {
    long& slot = memo_[i * width_ + t];
    if (slot != -2) return slot;
    long result = -1;
    if (i == tokens.size()) {
      result = static_cast<long>(t);
    } else {
      const auto& tok = tokens[i];
      size_t n = text_.size();
      if (tok.kind == 0) {  // literal
        if (t < n && text_[t] == tok.rune) result = Match(tokens, greedy, i + 1, t + 1);
      } else if (tok.kind == 1) {  // any but newline
        if (t < n && text_[t] != '\n') result = Match(tokens, greedy, i + 1, t + 1);
      } else {  // star
        size_t max = t;
        while (max < n && text_[max] != '\n') ++max;
        if (greedy) {
          for (size_t k = max + 1; k-- > t;) {
            result = Match(tokens, greedy, i + 1, k);
            if (result >= 0) break;
          }
        } else {
          for (size_t k = t; k <= max; ++k) {
            result = Match(tokens, greedy, i + 1, k);
            if (result >= 0) break;
          }
        }
      }
    }
    slot = result;
    return result;
  }

 private:
  const std::vector<char32_t>& text_;
  size_t width_;
  std::vector<long> memo_;
};

struct PlainToken {
  int kind;  // 0 literal, 1 any, 2 star
  char32_t rune;
};

// Reverses a pattern rune by rune, keeping `\x` escapes in order (a\*c → c\*a).
std::string ReversePattern(std::string_view pattern) {
  Runes r = Decode(pattern);
  size_t n = r.runes.size();
  std::vector<char32_t> out(n);
  for (size_t i = 0; i < n;) {
    size_t out_idx = n - 1 - i;
    if (r.runes[i] == '\\' && i != n - 1) {
      out[out_idx - 1] = '\\';
      out[out_idx] = r.runes[i + 1];
      i += 2;
    } else {
      out[out_idx] = r.runes[i];
      ++i;
    }
  }
  std::string s;
  for (char32_t c : out) text::AppendRune(s, c);
  return s;
}

std::string ReverseString(std::string_view value) {
  Runes r = Decode(value);
  std::string s;
  for (size_t i = r.runes.size(); i-- > 0;) text::AppendRune(s, r.runes[i]);
  return s;
}

}  // namespace

Result<ShellPattern> ShellPattern::Compile(std::string_view pattern, Greed greed) {
  ShellPattern p;
  p.greed_ = greed;
  Runes r = Decode(pattern);
  for (size_t i = 0; i < r.runes.size(); ++i) {
    char32_t c = r.runes[i];
    if (c == '*') {
      p.tokens_.push_back({Kind::kStar, 0});
    } else if (c == '?') {
      p.tokens_.push_back({Kind::kAny, 0});
    } else if (c == '\\') {
      if (i + 1 < r.runes.size() && (r.runes[i + 1] == '}' || r.runes[i + 1] == '/')) continue;
      if (i + 1 >= r.runes.size()) {
        return InvalidInput("invalid pattern (" + std::string(pattern) +
                            ") in substitution: invalid escape '\\'");
      }
      char32_t e = r.runes[++i];
      if (e != '*' && e != '?' && e != '\\') {
        std::string esc;
        text::AppendRune(esc, e);
        return InvalidInput("invalid pattern (" + std::string(pattern) +
                            ") in substitution: invalid escape '\\" + esc + "'");
      }
      p.tokens_.push_back({Kind::kLiteral, e});
    } else {
      p.tokens_.push_back({Kind::kLiteral, c});
    }
  }
  return p;
}

long ShellPattern::MatchAt(std::string_view text_in, size_t begin) const {
  Runes r = Decode(text_in);
  std::vector<PlainToken> tokens;
  tokens.reserve(tokens_.size());
  for (const Token& t : tokens_) {
    tokens.push_back({t.kind == Kind::kLiteral ? 0 : t.kind == Kind::kAny ? 1 : 2, t.rune});
  }
  size_t start = std::lower_bound(r.offsets.begin(), r.offsets.end(), begin) - r.offsets.begin();
  Matcher m(r.runes, tokens.size());
  long end = m.Match(tokens, greed_ == Greed::kLongest, 0, start);
  return end < 0 ? -1 : static_cast<long>(r.offsets[end]);
}

std::pair<long, long> ShellPattern::Find(std::string_view text_in) const {
  Runes r = Decode(text_in);
  std::vector<PlainToken> tokens;
  for (const Token& t : tokens_) {
    tokens.push_back({t.kind == Kind::kLiteral ? 0 : t.kind == Kind::kAny ? 1 : 2, t.rune});
  }
  Matcher m(r.runes, tokens.size());
  for (size_t s = 0; s <= r.runes.size(); ++s) {
    long end = m.Match(tokens, greed_ == Greed::kLongest, 0, s);
    if (end >= 0) return {static_cast<long>(r.offsets[s]), static_cast<long>(r.offsets[end])};
  }
  return {-1, -1};
}

Result<std::string> TrimPrefixPattern(std::string_view pattern, std::string_view value,
                                      Greed greed) {
  PLINTH_TRY(ShellPattern p, ShellPattern::Compile(pattern, greed));
  long end = p.MatchAt(value, 0);
  if (end < 0) return std::string(value);
  return std::string(value.substr(end));
}

Result<std::string> TrimSuffixPattern(std::string_view pattern, std::string_view value,
                                      Greed greed) {
  std::string rp = ReversePattern(pattern);
  std::string rv = ReverseString(value);
  PLINTH_TRY(std::string trimmed, TrimPrefixPattern(rp, rv, greed));
  return ReverseString(trimmed);
}

namespace {

// Go's Regexp.Expand for a pattern without groups: $0 / ${0} is the match, $$ is '$', any
// other $name is empty, and a '$' not followed by a name is kept.
void ExpandReplacement(std::string& out, std::string_view repl, std::string_view match) {
  size_t i = 0;
  while (i < repl.size()) {
    size_t d = repl.find('$', i);
    if (d == std::string_view::npos) {
      out.append(repl.substr(i));
      return;
    }
    out.append(repl.substr(i, d - i));
    i = d + 1;
    if (i < repl.size() && repl[i] == '$') {
      out.push_back('$');
      ++i;
      continue;
    }
    auto is_name = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_';
    };
    std::string_view name;
    size_t next = i;
    if (i < repl.size() && repl[i] == '{') {
      size_t close = repl.find('}', i + 1);
      size_t j = i + 1;
      while (j < repl.size() && is_name(repl[j])) ++j;
      if (close == std::string_view::npos || j != close || close == i + 1) {
        out.push_back('$');
        continue;
      }
      name = repl.substr(i + 1, close - i - 1);
      next = close + 1;
    } else {
      size_t j = i;
      while (j < repl.size() && is_name(repl[j])) ++j;
      if (j == i) {
        out.push_back('$');
        continue;
      }
      name = repl.substr(i, j - i);
      next = j;
    }
    i = next;
    bool all_zero = !name.empty() && name.find_first_not_of('0') == std::string_view::npos;
    if (all_zero) out.append(match);
  }
}

}  // namespace

Error ExpandedWordTooLong() {
  return InvalidInput("the expanded word is longer than " +
                      std::to_string(kMaxExpandedWordSize >> 20) +
                      " MiB, plinth's limit (see docs/dockerfile.md)");
}

Result<std::string> ReplacePattern(std::string_view pattern, std::string_view replacement,
                                   std::string_view value, ReplaceCount count) {
  PLINTH_TRY(ShellPattern p, ShellPattern::Compile(pattern, Greed::kLongest));
  if (count == ReplaceCount::kFirst) {
    auto [b, e] = p.Find(value);
    if (b < 0) return std::string(value);
    std::string out(value.substr(0, b));
    out.append(replacement);
    out.append(value.substr(e));
    return out;
  }
  // Regexp.ReplaceAllString: no replacement for an empty match right after a match.
  std::string out;
  size_t search = 0;
  size_t last_end = 0;
  while (search <= value.size()) {
    long b = -1, e = -1;
    for (size_t s = search; s <= value.size(); ++s) {
      if (s > search && s < value.size() &&
          (static_cast<unsigned char>(value[s]) & 0xC0) == 0x80) {
        continue;
      }
      long end = p.MatchAt(value, s);
      if (end >= 0) {
        b = static_cast<long>(s);
        e = end;
        break;
      }
    }
    if (b < 0) break;
    out.append(value.substr(last_end, b - last_end));
    if (static_cast<size_t>(e) > last_end || b == 0) {
      ExpandReplacement(out, replacement, value.substr(b, e - b));
    }
    // A long replacement for every character of a long value is a result of |value| times
    // |replacement| bytes: stop at the limit on an expanded word.
    if (out.size() > kMaxExpandedWordSize) return ExpandedWordTooLong();
    last_end = e;
    size_t width = search < value.size() ? text::DecodeRune(value, search).width : 1;
    if (search + width > static_cast<size_t>(e)) {
      search += width;
    } else if (search + 1 > static_cast<size_t>(e)) {
      search += 1;
    } else {
      search = e;
    }
  }
  out.append(value.substr(std::min(last_end, value.size())));
  return out;
}

}  // namespace plinth::dockerfile
