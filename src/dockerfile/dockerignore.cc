#include "dockerfile/dockerignore.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "dockerfile/text.h"

namespace plinth::dockerfile {

std::string CleanPath(std::string_view path) {
  if (path.empty()) return ".";
  bool rooted = path[0] == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(i, slash - i);
    i = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t j = 0; j < parts.size(); ++j) {
    if (j) out += '/';
    out += parts[j];
  }
  return out.empty() ? "." : out;
}

Result<std::vector<DockerIgnore::Token>> DockerIgnore::Compile(const std::string& pattern) {
  std::vector<char32_t> runes;
  for (size_t i = 0; i < pattern.size();) {
    text::DecodedRune d = text::DecodeRune(pattern, i);
    runes.push_back(d.rune);
    i += d.width;
  }
  std::vector<Token> out;
  auto lit = [&](char32_t r) { out.push_back({Token::Kind::kLiteral, r, {}, false}); };
  bool exact = true;  // patternmatcher's "exactMatch" until a wildcard shows up
  for (size_t i = 0; i < runes.size(); ++i) {
    char32_t ch = runes[i];
    if (ch == '*') {
      if (i + 1 < runes.size() && runes[i + 1] == '*') {
        ++i;
        if (i + 1 < runes.size() && runes[i + 1] == '/') ++i;  // "**/" is "**"
        if (i + 1 >= runes.size()) {
          // "**" at the end: everything below (a prefix match when nothing came before).
          out.push_back({Token::Kind::kAnything, 0, {}, false});
        } else {
          out.push_back({Token::Kind::kAnyDirs, 0, {}, false});
        }
      } else {
        out.push_back({Token::Kind::kStarButSlash, 0, {}, false});
      }
      exact = false;
    } else if (ch == '?') {
      out.push_back({Token::Kind::kAnyButSlash, 0, {}, false});
      exact = false;
    } else if (ch == '\\') {
      if (i + 1 < runes.size()) {
        lit(runes[++i]);
      } else {
        lit('\\');
      }
    } else if (ch == '[') {
      Token cls{Token::Kind::kClass, 0, {}, false};
      size_t j = i + 1;
      if (j < runes.size() && runes[j] == '^') {
        cls.negated = true;
        ++j;
      }
      bool closed = false;
      bool first = true;
      while (j < runes.size()) {
        char32_t c = runes[j];
        if (c == ']' && !first) {
          closed = true;
          break;
        }
        first = false;
        if (c == '\\' && j + 1 < runes.size()) c = runes[++j];
        char32_t hi = c;
        if (j + 2 < runes.size() && runes[j + 1] == '-' && runes[j + 2] != ']') {
          hi = runes[j + 2];
          if (hi == '\\' && j + 3 < runes.size()) {
            hi = runes[j + 3];
            ++j;
          }
          j += 2;
          if (hi < c) return InvalidInput("invalid character class range in " + pattern);
        }
        cls.ranges.push_back({c, hi});
        ++j;
      }
      if (!closed) return InvalidInput("missing closing ] in pattern " + pattern);
      out.push_back(std::move(cls));
      i = j;
      exact = false;
    } else if (ch == ']') {
      return InvalidInput("unexpected ] in pattern " + pattern);
    } else {
      lit(ch);
    }
  }
  (void)exact;
  return out;
}

bool DockerIgnore::MatchesPathOrParent(const std::vector<Token>& tokens, std::string_view path) {
  std::vector<char32_t> t;
  for (size_t i = 0; i < path.size();) {
    text::DecodedRune d = text::DecodeRune(path, i);
    t.push_back(d.rune);
    i += d.width;
  }
  const size_t n = t.size();
  // One forward pass: after token i, reach[p] says tokens[..i] match t[..p) exactly. The last
  // row answers for the path (p = n) and every parent (p at a '/') at once, in
  // O(tokens × runes) steps and two rows of memory for any pattern and path: a hostile
  // .dockerignore cannot make matching slow or large.
  std::vector<char> reach(n + 1, 0), after(n + 1, 0);
  reach[0] = 1;
  for (const Token& tok : tokens) {
    // kAnyDirs: some q <= p reached with no newline in t[q..p).
    bool reached_since = false;
    for (size_t p = 0; p <= n; ++p) {
      bool m = false;
      char32_t prev = p > 0 ? t[p - 1] : 0;
      switch (tok.kind) {
        case Token::Kind::kLiteral:
          m = p > 0 && prev == tok.rune && reach[p - 1];
          break;
        case Token::Kind::kAnyButSlash:
          m = p > 0 && prev != '/' && prev != '\n' && reach[p - 1];
          break;
        case Token::Kind::kStarButSlash:  // [^/]*
          m = reach[p] || (p > 0 && prev != '/' && after[p - 1]);
          break;
        case Token::Kind::kAnything:  // .*
          m = reach[p] || (p > 0 && prev != '\n' && after[p - 1]);
          break;
        case Token::Kind::kAnyDirs: {  // (.*/)?
          // Here reached_since covers q <= p-1 (no newline in t[q..p-1)); then it moves to p.
          bool slash = p > 0 && prev == '/' && reached_since;
          reached_since = reach[p] || (reached_since && p > 0 && prev != '\n');
          m = reach[p] || slash;
          break;
        }
        case Token::Kind::kClass: {
          if (p > 0 && prev != '\n') {
            bool in = false;
            for (auto [lo, hi] : tok.ranges) in = in || (prev >= lo && prev <= hi);
            m = in != tok.negated && reach[p - 1];
          }
          break;
        }
      }
      after[p] = m;
    }
    std::swap(reach, after);
  }
  if (reach[n]) return true;
  for (size_t p = 0; p < n; ++p)
    if (t[p] == '/' && reach[p]) return true;
  return false;
}

Result<DockerIgnore> DockerIgnore::FromPatterns(const std::vector<std::string>& lines) {
  DockerIgnore d;
  for (const std::string& line : lines) {
    std::string_view p = text::TrimSpace(line);
    if (p.empty()) continue;
    Pattern pat;
    if (p[0] == '!') {
      if (p.size() == 1) return InvalidInput("illegal exclusion pattern: \"!\"");
      pat.exclusion = true;
      p = text::TrimSpace(p.substr(1));
    }
    std::string cleaned = CleanPath(p);
    if (cleaned.size() > 1 && cleaned[0] == '/') cleaned.erase(0, 1);
    pat.text = cleaned;
    auto tokens = Compile(cleaned);
    if (!tokens) return tokens.error().Context("compiling .dockerignore pattern " + std::string(line));
    d.compiled_.push_back(std::move(*tokens));
    d.patterns_.push_back(std::move(pat));
  }
  return d;
}

Result<DockerIgnore> DockerIgnore::Parse(std::string_view content) {
  std::vector<std::string> lines;
  size_t start = 0;
  int line_no = 0;
  while (start <= content.size()) {
    size_t nl = content.find('\n', start);
    std::string_view line = content.substr(start, nl == std::string_view::npos ? content.size() - start : nl - start);
    start = nl == std::string_view::npos ? content.size() + 1 : nl + 1;
    ++line_no;
    if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (!line.empty() && line[0] == '#') continue;
    lines.emplace_back(line);
  }
  return FromPatterns(lines);
}

bool DockerIgnore::HasExclusions() const {
  return std::any_of(patterns_.begin(), patterns_.end(), [](const Pattern& p) { return p.exclusion; });
}

bool DockerIgnore::Excludes(std::string_view path_in) const {
  std::string path = CleanPath(path_in);
  bool matched = false;
  for (size_t i = 0; i < patterns_.size(); ++i) {
    if (patterns_[i].exclusion != matched) continue;
    if (MatchesPathOrParent(compiled_[i], path)) matched = !patterns_[i].exclusion;
  }
  return matched;
}

Result<std::vector<std::string>> ListContextFiles(const std::string& context_dir,
                                                  const DockerIgnore& ignore) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(context_dir, ec)) {
    return NotFound("listing build context: " + context_dir + " is not a folder");
  }
  std::vector<std::string> files;
  bool exclusions = ignore.HasExclusions();
  fs::recursive_directory_iterator it(context_dir, fs::directory_options::none, ec);
  if (ec) return IoError("listing build context " + context_dir + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return IoError("listing build context " + context_dir + ": " + ec.message());
    std::string rel = fs::relative(it->path(), context_dir, ec).generic_string();
    bool excluded = ignore.Excludes(rel);
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      if (excluded && !exclusions) it.disable_recursion_pending();
      continue;
    }
    if (!excluded) files.push_back(rel);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace plinth::dockerfile
