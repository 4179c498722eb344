#include "run/lower_lookup.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <deque>

#include "util/rooted_path.h"

namespace plinth::run {
namespace {

bool IsWhiteout(const struct stat& st) {
  return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

bool IsOpaque(const std::string& host_path) {
  char value[2] = {};
  ssize_t n = lgetxattr(host_path.c_str(), "trusted.overlay.opaque", value, sizeof(value));
  return n == 1 && value[0] == 'y';
}

// The components of `path`, "." and empty ones dropped ("..": kept, resolved by the walk).
void PushComponents(std::string_view path, std::deque<std::string>& out, bool front) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = slash + 1;
  }
  if (front) {
    out.insert(out.begin(), parts.begin(), parts.end());
  } else {
    out.insert(out.end(), parts.begin(), parts.end());
  }
}

// One folder of the merged view: its path relative to the root and the lowers (indexes into
// the bottom-first list, top-most first) whose folders merge into it.
struct MergedDir {
  std::string rel;
  std::vector<size_t> layers;
};

std::string Join(const std::string& rel, const std::string& name) {
  return rel.empty() ? name : rel + "/" + name;
}

// `rel` and then the components not walked, as named ("..": one up); where an absent path
// would be made.
std::string Literal(std::string rel, const std::deque<std::string>& rest) {
  for (const std::string& name : rest) {
    if (name == "..") {
      size_t slash = rel.rfind('/');
      rel.resize(slash == std::string::npos ? 0 : slash);
    } else {
      rel = Join(rel, name);
    }
  }
  return rel;
}

// The walk of FindInLowers; `resolved` gets the path relative to the merged root with the
// symlinks met resolved (the last one too when `follow_last`), absent components as named.
Result<std::optional<std::string>> Walk(const std::vector<std::string>& lowers,
                                        std::string_view path, bool follow_last,
                                        std::string& resolved) {
  std::vector<MergedDir> dirs;  // the folders walked so far, the root first
  MergedDir root;
  for (size_t i = lowers.size(); i-- > 0;) root.layers.push_back(i);
  dirs.push_back(std::move(root));

  std::deque<std::string> rest;
  PushComponents(path, rest, /*front=*/false);
  if (lowers.empty()) {
    resolved = Literal("", rest);
    return std::optional<std::string>();
  }
  int links = 0;
  while (!rest.empty()) {
    std::string name = std::move(rest.front());
    rest.pop_front();
    if (name == "..") {
      if (dirs.size() > 1) dirs.pop_back();
      continue;
    }
    const MergedDir& dir = dirs.back();
    std::string rel = Join(dir.rel, name);
    MergedDir next{rel, {}};
    std::optional<size_t> found;  // the lower that shows `rel`
    struct stat found_st {};
    for (size_t layer : dir.layers) {
      std::string host = lowers[layer] + "/" + rel;
      struct stat st;
      if (lstat(host.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) continue;
        return ErrnoError("looking up " + host, errno);
      }
      if (!found) {
        if (IsWhiteout(st)) {
          resolved = Literal(rel, rest);
          return std::optional<std::string>();
        }
        found = layer;
        found_st = st;
        if (!S_ISDIR(st.st_mode)) break;
      } else if (!S_ISDIR(st.st_mode)) {
        break;  // a non-folder (or a whiteout) beneath ends the merge
      }
      next.layers.push_back(layer);
      if (IsOpaque(host)) break;
    }
    if (!found) {
      resolved = Literal(rel, rest);
      return std::optional<std::string>();
    }
    bool last = rest.empty();
    if (S_ISLNK(found_st.st_mode) && (!last || follow_last)) {
      if (++links > kMaxSymlinksInPath) {
        return InvalidInput("more than " + std::to_string(kMaxSymlinksInPath) +
                            " symlinks resolving " + std::string(path) + " in the image's layers");
      }
      std::string host = lowers[*found] + "/" + rel;
      std::string target(4096, '\0');
      ssize_t n = readlink(host.c_str(), target.data(), target.size());
      if (n < 0) return ErrnoError("reading the symlink " + host, errno);
      if (static_cast<size_t>(n) >= target.size()) {
        return InvalidInput("symlink target too long: " + host);
      }
      target.resize(n);
      if (!target.empty() && target[0] == '/') dirs.resize(1);
      PushComponents(target, rest, /*front=*/true);
      continue;
    }
    if (last) {
      resolved = rel;
      return std::optional<std::string>(lowers[*found] + "/" + rel);
    }
    if (!S_ISDIR(found_st.st_mode)) {
      resolved = Literal(rel, rest);
      return std::optional<std::string>();
    }
    dirs.push_back(std::move(next));
  }
  // The path named a folder of the merged view (the root, or one reached through "..").
  const MergedDir& dir = dirs.back();
  resolved = dir.rel;
  if (dir.layers.empty()) return std::optional<std::string>();
  return std::optional<std::string>(dir.rel.empty() ? lowers[dir.layers.front()]
                                                    : lowers[dir.layers.front()] + "/" + dir.rel);
}

}  // namespace

Result<std::optional<std::string>> FindInLowers(const std::vector<std::string>& lowers,
                                                std::string_view path, bool follow_last) {
  std::string resolved;
  return Walk(lowers, path, follow_last, resolved);
}

Result<std::string> ResolveInLowers(const std::vector<std::string>& lowers, std::string_view path) {
  std::string resolved;
  PLINTH_CHECK(Walk(lowers, path, /*follow_last=*/true, resolved));
  return resolved;
}

}  // namespace plinth::run
