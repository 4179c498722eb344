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

Suppressions Suppressions::FromView(const DockerfileView& view) {
  Suppressions s;
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
