#include "debian/dependency.h"

#include <cctype>
#include <cstring>

namespace plinth::debian {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t i = s.find(sep, start);
    if (i == std::string_view::npos) {
      out.push_back(s.substr(start));
      break;
    }
    out.push_back(s.substr(start, i - start));
    start = i + 1;
  }
  return out;
}

Result<DependencyAtom> ParseAtom(std::string_view text) {
  std::string_view s = Trim(text);
  DependencyAtom atom;
  size_t i = 0;
  while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) && s[i] != '(' &&
         s[i] != '[' && s[i] != '<')
    ++i;
  std::string_view name = s.substr(0, i);
  if (name.empty()) return InvalidInput("missing package name in '" + std::string(text) + "'");
  size_t colon = name.find(':');
  if (colon != std::string_view::npos) {
    atom.arch_qualifier = std::string(name.substr(colon + 1));
    name = name.substr(0, colon);
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return InvalidInput("invalid package name '" + std::string(name) + "'");
  }
  atom.name = std::string(name);
  s = Trim(s.substr(i));
  if (!s.empty() && s.front() == '(') {
    size_t close = s.find(')');
    if (close == std::string_view::npos)
      return InvalidInput("unclosed '(' in '" + std::string(text) + "'");
    std::string_view rel = Trim(s.substr(1, close - 1));
    size_t k = 0;
    while (k < rel.size() && std::strchr("<=>", rel[k])) ++k;
    if (k == 0) return InvalidInput("missing version relation in '" + std::string(text) + "'");
    PLINTH_TRY(atom.op, ParseVersionOp(rel.substr(0, k)));
    PLINTH_TRY(atom.version, DpkgVersion::Parse(Trim(rel.substr(k))));
    s = Trim(s.substr(close + 1));
  }
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos)
      return InvalidInput("unclosed '[' in '" + std::string(text) + "'");
    s = Trim(s.substr(close + 1));
  }
  while (!s.empty() && s.front() == '<') {
    size_t close = s.find('>');
    if (close == std::string_view::npos)
      return InvalidInput("unclosed '<' in '" + std::string(text) + "'");
    s = Trim(s.substr(close + 1));
  }
  if (!s.empty())
    return InvalidInput("unexpected '" + std::string(s) + "' in '" + std::string(text) + "'");
  return atom;
}

}  // namespace

std::string DependencyAtom::ToString() const {
  std::string out = name;
  if (!arch_qualifier.empty()) out += ":" + arch_qualifier;
  if (op != VersionOp::kAny) {
    out += " (";
    out += VersionOpString(op);
    out += " " + version.str() + ")";
  }
  return out;
}

std::string GroupToString(const DependencyGroup& group) {
  std::string out;
  for (size_t i = 0; i < group.size(); ++i) {
    if (i) out += " | ";
    out += group[i].ToString();
  }
  return out;
}

Result<std::vector<DependencyGroup>> ParseDependencies(std::string_view field) {
  std::vector<DependencyGroup> groups;
  if (Trim(field).empty()) return groups;
  for (std::string_view g : Split(field, ',')) {
    if (Trim(g).empty()) continue;  // dpkg tolerates a trailing comma
    DependencyGroup group;
    for (std::string_view alt : Split(g, '|')) {
      auto atom = ParseAtom(alt);
      if (!atom) return atom.error();
      group.push_back(std::move(*atom));
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

Result<std::vector<DependencyAtom>> ParseAtomList(std::string_view field) {
  std::vector<DependencyAtom> atoms;
  if (Trim(field).empty()) return atoms;
  for (std::string_view a : Split(field, ',')) {
    if (Trim(a).empty()) continue;
    auto atom = ParseAtom(a);
    if (!atom) return atom.error();
    atoms.push_back(std::move(*atom));
  }
  return atoms;
}

}  // namespace plinth::debian
