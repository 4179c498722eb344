#include "util/safe_path.h"

#include <vector>

namespace plinth {

std::vector<std::string_view> PathComponents(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

namespace {

std::string Join(const std::vector<std::string_view>& parts, bool absolute) {
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  if (out.empty()) out = ".";
  return out;
}

// Cleans `path` as relative to a root; false if `..` climbs above it.
bool CleanInside(std::string_view path, std::vector<std::string_view>* out) {
  for (std::string_view part : PathComponents(path)) {
    if (part == ".") continue;
    if (part == "..") {
      if (out->empty()) return false;
      out->pop_back();
      continue;
    }
    out->push_back(part);
  }
  return true;
}

}  // namespace

std::string CleanPath(std::string_view path) {
  bool absolute = !path.empty() && path[0] == '/';
  std::vector<std::string_view> parts;
  for (std::string_view part : PathComponents(path)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  return Join(parts, absolute);
}

Result<std::string> RelativeInsideRoot(std::string_view name) {
  std::vector<std::string_view> parts;
  if (!CleanInside(name, &parts))
    return InvalidInput("path '" + std::string(name) + "' escapes its root through '..'");
  return Join(parts, false);
}

Result<std::string> StrictRelative(std::string_view name) {
  if (!name.empty() && name[0] == '/')
    return InvalidInput("absolute path '" + std::string(name) + "' is not allowed here");
  return RelativeInsideRoot(name);
}

Result<std::string> SafeJoin(const std::string& root, std::string_view name) {
  PLINTH_TRY(std::string rel, RelativeInsideRoot(name));
  if (rel == ".") return root;
  return root + "/" + rel;
}

Result<std::string> ResolveLinkInsideRoot(std::string_view link_path, std::string_view target) {
  std::vector<std::string_view> parts;
  if (target.empty() || target[0] != '/') {
    if (!CleanInside(link_path, &parts))
      return InvalidInput("path '" + std::string(link_path) + "' escapes its root");
    if (!parts.empty()) parts.pop_back();  // the link's own name
  }
  if (!CleanInside(target, &parts))
    return InvalidInput("symlink '" + std::string(link_path) + "' -> '" + std::string(target) +
                        "' points outside the root");
  return Join(parts, false);
}

}  // namespace plinth
