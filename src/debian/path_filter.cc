#include "debian/path_filter.h"

#include <fnmatch.h>

namespace plinth::debian {
namespace {

std::string StripSlash(std::string p) {
  while (!p.empty() && p.front() == '/') p.erase(0, 1);
  return p;
}

}  // namespace

PathFilter::PathFilter(std::vector<std::string> excludes, std::vector<std::string> keep) {
  for (auto& e : excludes) excludes_.push_back(StripSlash(std::move(e)));
  for (auto& k : keep) keep_.push_back(StripSlash(std::move(k)));
}

bool PathFilter::Matches(const std::string& pattern, std::string_view path) {
  if (pattern.size() >= 3 && pattern.compare(pattern.size() - 3, 3, "/**") == 0) {
    std::string_view dir(pattern.data(), pattern.size() - 3);
    if (dir.find_first_of("*?[") == std::string_view::npos)
      return path.size() > dir.size() + 1 && path.substr(0, dir.size()) == dir && path[dir.size()] == '/';
    // A glob before "/**": match the glob against each ancestor of `path`.
    for (size_t i = path.find('/'); i != std::string_view::npos; i = path.find('/', i + 1)) {
      std::string prefix(path.substr(0, i));
      if (fnmatch(std::string(dir).c_str(), prefix.c_str(), FNM_PATHNAME) == 0) return true;
    }
    return false;
  }
  return fnmatch(pattern.c_str(), std::string(path).c_str(), FNM_PATHNAME) == 0;
}

bool PathFilter::Keeps(std::string_view path) const {
  for (const auto& k : keep_) {
    if (Matches(k, path)) return true;
  }
  for (const auto& e : excludes_) {
    if (Matches(e, path)) return false;
  }
  return true;
}

}  // namespace plinth::debian
