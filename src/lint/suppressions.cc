#include "lint/suppressions.h"

#include <sstream>

#include "lint/lint_config.h"

namespace plinth::lint {
namespace {

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  size_t b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

}  // namespace

bool ParseIgnorePragma(const std::string& comment, std::set<std::string>* names, bool* global) {
  std::string text = Trim(comment);
  if (!text.empty() && text[0] == '#') text = Trim(text.substr(1));
  std::string rest;
  for (const char* tool : {"hadolint", "plinth"}) {
    if (text.rfind(tool, 0) == 0) rest = Trim(text.substr(std::string(tool).size()));
  }
  if (rest.empty()) return false;
  *global = false;
  if (rest.rfind("global", 0) == 0) {
    *global = true;
    rest = Trim(rest.substr(6));
  }
  if (rest.rfind("ignore", 0) != 0) return false;
  rest = Trim(rest.substr(6));
  if (rest.empty() || rest[0] != '=') return false;
  rest = rest.substr(1);
  // The list ends at the first blank after a name: `ignore=DL3006 because …`.
  std::stringstream list(Trim(rest).substr(0, Trim(rest).find_first_of(" \t")));
  std::string name;
  while (std::getline(list, name, ',')) {
    if (!Trim(name).empty()) names->insert(Trim(name));
  }
  return !names->empty();
}

namespace {

// Calls f(line number, column of '#', comment text) for every comment line of the file.
template <typename F>
void ForEachCommentLine(const std::string& content, F f) {
  std::stringstream lines(content);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    size_t hash = line.find_first_not_of(" \t");
    if (hash == std::string::npos || line[hash] != '#') continue;
    f(number, static_cast<int>(hash) + 1, Trim(line));
  }
}

}  // namespace

std::string ParseShellPragma(const std::string& comment) {
  std::string text = Trim(comment);
  if (!text.empty() && text[0] == '#') text = Trim(text.substr(1));
  std::string rest;
  for (const char* tool : {"hadolint", "plinth"}) {
    if (text.rfind(tool, 0) == 0) rest = Trim(text.substr(std::string(tool).size()));
  }
  if (rest.rfind("shell", 0) != 0) return "";
  rest = Trim(rest.substr(5));
  if (rest.empty() || rest[0] != '=') return "";
  rest = Trim(rest.substr(1));
  return rest.substr(0, rest.find_first_of(" \t"));
}

std::string ShellPragmaAt(const DockerfileView& view, int line) {
  std::string shell;
  ForEachCommentLine(view.content, [&](int number, int, const std::string& text) {
    if (number >= line) return;
    if (std::string s = ParseShellPragma(text); !s.empty()) shell = s;
  });
  return shell;
}

std::vector<PragmaComment> IgnorePragmas(const DockerfileView& view) {
  std::vector<PragmaComment> out;
  ForEachCommentLine(view.content, [&](int number, int column, const std::string& text) {
    std::set<std::string> names;
    bool global = false;
    // hadolint's DL1001 is about the inline kind only: a global ignore is not reported.
    if (ParseIgnorePragma(text, &names, &global) && !global) out.push_back({number, column});
  });
  return out;
}

Suppressions Suppressions::FromView(const DockerfileView& view, bool disabled) {
  Suppressions s;
  s.disabled_ = disabled;
  for (const auto& node : view.ast.instructions) {
    Range range{node.start_line, node.end_line, {}};
    for (const auto& comment : node.comments) {
      std::set<std::string> names;
      bool global = false;
      if (ParseIgnorePragma(comment, &names, &global) && !global)
        range.names.insert(names.begin(), names.end());
    }
    if (!range.names.empty()) s.ranges_.push_back(std::move(range));
  }
  std::stringstream lines(view.content);
  std::string line;
  while (std::getline(lines, line)) {
    std::string t = Trim(line);
    if (t.empty() || t[0] != '#') continue;
    std::set<std::string> names;
    bool global = false;
    if (ParseIgnorePragma(t, &names, &global) && global) s.global_.insert(names.begin(), names.end());
  }
  return s;
}

bool Suppressions::Suppressed(const Finding& f) const {
  if (disabled_) return false;
  std::vector<std::string> names = f.aliases;
  names.push_back(f.code);
  if (LintConfig::Mentions(global_, names)) return true;
  for (const auto& r : ranges_) {
    if (f.location.line >= r.first_line && f.location.line <= r.last_line &&
        LintConfig::Mentions(r.names, names))
      return true;
  }
  return false;
}

}  // namespace plinth::lint
