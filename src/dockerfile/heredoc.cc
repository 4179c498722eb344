#include "dockerfile/heredoc.h"

#include <climits>

#include "dockerfile/shell_lex.h"

namespace plinth::dockerfile {
namespace {

size_t CountQuotes(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (c == '\'' || c == '"');
  return n;
}

// `^(\d*)<<(-?)` : the length of the prefix, or npos.
size_t HeredocPrefix(std::string_view word, unsigned* fd, bool* chomp) {
  size_t i = 0;
  while (i < word.size() && word[i] >= '0' && word[i] <= '9') ++i;
  if (word.substr(i, 2) != "<<") return std::string_view::npos;
  unsigned long long v = 0;
  for (size_t j = 0; j < i; ++j) {
    v = v * 10 + (word[j] - '0');
    if (v > UINT_MAX) v = UINT_MAX;  // Go's ParseUint saturates on overflow
  }
  *fd = static_cast<unsigned>(v);
  i += 2;
  *chomp = i < word.size() && word[i] == '-';
  if (*chomp) ++i;
  return i;
}

}  // namespace

Result<std::optional<Heredoc>> ParseHeredoc(std::string_view word) {
  unsigned fd = 0;
  bool chomp = false;
  size_t prefix = HeredocPrefix(word, &fd, &chomp);
  if (prefix == std::string_view::npos) return std::optional<Heredoc>();
  std::string_view rest = word.substr(prefix);
  if (rest.empty() || rest.find('<') != std::string_view::npos) return std::optional<Heredoc>();

  VarMap empty;
  ShellLexOptions options;
  options.skip_unset_env = true;
  PLINTH_TRY(std::vector<std::string> words, ShellLex(options).ProcessWords(rest, empty));
  if (words.size() != 1) return std::optional<Heredoc>();
  options.raw_quotes = true;
  PLINTH_TRY(std::vector<std::string> raw, ShellLex(options).ProcessWords(rest, empty));
  if (raw.size() != words.size()) {
    return InvalidInput("internal lexing of heredoc produced inconsistent results: " +
                        std::string(rest));
  }
  Heredoc h;
  h.name = words[0];
  h.expand = CountQuotes(words[0]) == CountQuotes(raw[0]);
  h.chomp = chomp;
  h.file_descriptor = fd;
  return std::optional<Heredoc>(std::move(h));
}

Result<std::vector<Heredoc>> HeredocsFromLine(std::string_view line) {
  ShellLexOptions options;
  options.raw_quotes = true;
  options.raw_escapes = true;
  options.skip_unset_env = true;
  VarMap empty;
  std::vector<std::string> words;
  if (auto w = ShellLex(options).ProcessWords(line, empty)) words = std::move(*w);

  std::vector<Heredoc> docs;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string word = words[i];
    unsigned fd;
    bool chomp;
    size_t prefix = HeredocPrefix(word, &fd, &chomp);
    bool bare = prefix != std::string::npos && prefix == word.size();
    if (bare && i + 1 < words.size()) word += " " + words[++i];
    PLINTH_TRY(std::optional<Heredoc> h, ParseHeredoc(word));
    if (h) docs.push_back(std::move(*h));
  }
  return docs;
}

std::string ChompHeredocContent(std::string_view content) {
  std::string out;
  out.reserve(content.size());
  bool at_line_start = true;
  for (char c : content) {
    if (at_line_start && c == '\t') continue;
    at_line_start = c == '\n';
    out.push_back(c);
  }
  return out;
}

}  // namespace plinth::dockerfile
