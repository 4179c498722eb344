// DockerIgnore: `.dockerignore` patterns matched as docker matches them (moby/patternmatcher):
// one pattern a line, `#` comments, surrounding blanks trimmed, paths cleaned and made
// relative (`/a` = `a`); `*` and `?` do not cross `/`, `**` crosses any number of folders,
// `[a-z]` classes, `\x` escapes; `!pattern` re-includes. The last matching pattern wins, and a
// pattern that matches a parent folder matches everything below it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace plinth::dockerfile {

class DockerIgnore {
 public:
  struct Pattern {
    std::string text;  // cleaned, without the '!'
    bool exclusion = false;  // a `!` pattern (re-includes)
  };

  // The contents of a .dockerignore file.
  static Result<DockerIgnore> Parse(std::string_view content);
  // Patterns as they would appear one per line.
  static Result<DockerIgnore> FromPatterns(const std::vector<std::string>& lines);

  // True if `path` (relative to the context, '/'-separated) is left out of the context.
  bool Excludes(std::string_view path) const;
  const std::vector<Pattern>& patterns() const { return patterns_; }
  bool HasExclusions() const;

 private:
  // One element of a pattern, in the regex patternmatcher would build for it.
  struct Token {
    enum class Kind { kLiteral, kAnyButSlash, kStarButSlash, kAnyDirs, kAnything, kClass };
    Kind kind = Kind::kLiteral;
    char32_t rune = 0;
    std::vector<std::pair<char32_t, char32_t>> ranges;  // kClass
    bool negated = false;                               // kClass
  };
  static Result<std::vector<Token>> Compile(const std::string& pattern);
  // Whether the pattern matches `path` or one of its parent folders (`a/b` for `a/b/c`), as
  // Docker excludes a file whose folder is excluded.
  static bool MatchesPathOrParent(const std::vector<Token>& tokens, std::string_view path);

  std::vector<Pattern> patterns_;
  std::vector<std::vector<Token>> compiled_;
};

// Every regular file and symlink under `context_dir` that the build sends, as sorted relative
// paths; excluded folders are not descended into unless a `!` pattern could re-include.
Result<std::vector<std::string>> ListContextFiles(const std::string& context_dir,
                                                  const DockerIgnore& ignore);

// Go's path.Clean for '/'-separated paths.
std::string CleanPath(std::string_view path);

}  // namespace plinth::dockerfile
