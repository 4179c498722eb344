// PathFilter: which package paths a base image leaves out (documentation, man pages, locales,
// as distroless does) and which of those it keeps anyway (copyright files). Patterns are
// relative paths; "DIR/**" matches everything below DIR, anything else is an fnmatch(3) glob
// where '*' does not cross '/'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plinth::debian {

class PathFilter {
 public:
  PathFilter(std::vector<std::string> excludes, std::vector<std::string> keep);
  // True if `path` (clean, relative) belongs in the image.
  bool Keeps(std::string_view path) const;

 private:
  static bool Matches(const std::string& pattern, std::string_view path);
  std::vector<std::string> excludes_;
  std::vector<std::string> keep_;
};

}  // namespace plinth::debian
