// Shell glob patterns as BuildKit's `${V#p}`, `${V%p}` and `${V/p/r}` use them: `*` (any run of
// characters, newline excluded), `?` (one character), `\*`, `\?`, `\\` (literals); `\}` and
// `\/` are the literal characters. Matching follows the regex semantics BuildKit gets from Go
// (leftmost, then the first match a backtracking engine would find), without building a regex,
// and in time bounded by pattern × text² whatever the input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace plinth::dockerfile {

enum class Greed { kShortest, kLongest };

class ShellPattern {
 public:
  static Result<ShellPattern> Compile(std::string_view pattern, Greed greed);

  // Byte offsets [begin, end) of the first match starting exactly at `begin`, or -1.
  long MatchAt(std::string_view text, size_t begin) const;
  // The leftmost match anywhere: {begin, end} or {-1, -1}.
  std::pair<long, long> Find(std::string_view text) const;

 private:
  enum class Kind { kLiteral, kAny, kStar };
  struct Token {
    Kind kind;
    char32_t rune;
  };
  std::vector<Token> tokens_;
  Greed greed_ = Greed::kShortest;
};

// ${V#p} / ${V##p}: removes the shortest/longest prefix matching `pattern`.
Result<std::string> TrimPrefixPattern(std::string_view pattern, std::string_view value, Greed greed);
// ${V%p} / ${V%%p}: removes the shortest/longest suffix matching `pattern`.
Result<std::string> TrimSuffixPattern(std::string_view pattern, std::string_view value, Greed greed);
// ${V/p/r} / ${V//p/r}: replaces the first / every longest match of `pattern`.
enum class ReplaceCount { kFirst, kAll };
Result<std::string> ReplacePattern(std::string_view pattern, std::string_view replacement,
                                   std::string_view value, ReplaceCount count);

// The error for an expansion whose result passes kMaxExpandedWordSize (limits.h).
Error ExpandedWordTooLong();

}  // namespace plinth::dockerfile
