#include "fleet/base_pattern.h"

#include "oci/reference.h"

namespace plinth::fleet {

BasePattern BasePattern::FromText(std::string_view text, Location location) {
  BasePattern p;
  p.text = std::string(text);
  p.location = std::move(location);
  if (text.starts_with("fleet:")) {
    p.kind = PatternKind::kFleetBase;
    p.pattern = std::string(text.substr(6));
    if (p.pattern.empty()) p.pattern = "*";
  } else {
    p.kind = PatternKind::kImageGlob;
    p.pattern = std::string(text);
  }
  return p;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point for the last `*`: linear in practice.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string RepositoryOf(std::string_view reference) {
  if (auto parsed = oci::Reference::Parse(reference); parsed) return parsed->FamiliarName();
  // Not a valid reference (an unexpanded variable, say): strip digest and tag by hand.
  std::string_view r = reference;
  if (auto at = r.find('@'); at != std::string_view::npos) r = r.substr(0, at);
  auto colon = r.rfind(':');
  auto slash = r.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash))
    r = r.substr(0, colon);
  return std::string(r);
}

bool ImageGlobMatches(std::string_view glob, std::string_view reference) {
  if (glob.find(':') != std::string_view::npos || glob.find('@') != std::string_view::npos) {
    std::string full(reference);
    if (auto parsed = oci::Reference::Parse(reference); parsed) full = parsed->Familiar();
    return GlobMatch(glob, full) || GlobMatch(glob, reference);
  }
  return GlobMatch(glob, RepositoryOf(reference));
}

}  // namespace plinth::fleet
