#include "builder/copy_sources.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>

#include "util/rooted_path.h"
#include "util/safe_path.h"

namespace plinth::builder {
namespace {

bool HasWildcard(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

SelectedPath::Type TypeOf(const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return SelectedPath::Type::kDirectory;
  if (S_ISLNK(st.st_mode)) return SelectedPath::Type::kSymlink;
  return SelectedPath::Type::kFile;
}

class Selector {
 public:
  Selector(const std::string& root, const dockerfile::DockerIgnore* ignore)
      : root_(root), ignore_(ignore) {}

  bool Ignored(const std::string& rel) const { return ignore_ && rel != "." && ignore_->Excludes(rel); }

  // Adds `rel` (below root) with destination path `dest`; recurses into directories.
  void Add(const std::string& rel, const std::string& dest, const struct stat& st) {
    if (Ignored(rel)) return;
    if (!dest.empty()) out_[dest] = {rel, dest, TypeOf(st)};
    if (!S_ISDIR(st.st_mode)) return;
    for (const auto& name : ListDir(Abs(rel))) {
      std::string child = rel == "." ? name : rel + "/" + name;
      struct stat cst;
      if (lstat(Abs(child).c_str(), &cst) != 0) continue;
      Add(child, dest.empty() ? name : dest + "/" + name, cst);
    }
  }

  // Every path below root (not ignored) that matches `pattern` (cleaned, relative).
  void Glob(const std::string& pattern, std::vector<std::string>* matches, const std::string& rel = ".") {
    for (const auto& name : ListDir(Abs(rel))) {
      std::string child = rel == "." ? name : rel + "/" + name;
      if (Ignored(child)) continue;
      if (fnmatch(pattern.c_str(), child.c_str(), FNM_PATHNAME) == 0) matches->push_back(child);
      struct stat st;
      // Only descend while the pattern has more components than `child`.
      size_t depth = std::count(child.begin(), child.end(), '/');
      size_t pattern_depth = std::count(pattern.begin(), pattern.end(), '/');
      if (depth < pattern_depth && lstat(Abs(child).c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        Glob(pattern, matches, child);
    }
  }

  std::string Abs(const std::string& rel) const { return rel == "." ? root_ : root_ + "/" + rel; }
  std::vector<SelectedPath> Take() {
    std::vector<SelectedPath> v;
    for (auto& [k, p] : out_) v.push_back(std::move(p));
    return v;
  }

 private:
  std::string root_;
  const dockerfile::DockerIgnore* ignore_;
  std::map<std::string, SelectedPath> out_;
};

std::string BaseName(const std::string& rel) {
  size_t slash = rel.rfind('/');
  return slash == std::string::npos ? rel : rel.substr(slash + 1);
}

}  // namespace

Result<SourceSelection> SelectSources(const std::string& root, const std::vector<std::string>& sources,
                                      const dockerfile::DockerIgnore* ignore) {
  SourceSelection selection;
  selection.dest_is_directory = sources.size() > 1;
  Selector selector(root, ignore);
  for (const auto& source : sources) {
    auto cleaned = RelativeInsideRoot(source);
    if (!cleaned)
      return InvalidInput("source '" + source + "' is outside the build context");
    const std::string& rel = *cleaned;
    std::vector<std::string> matches;
    if (HasWildcard(rel)) {
      selection.dest_is_directory = true;
      selector.Glob(rel, &matches);
      if (matches.empty())
        return NotFound("no files match '" + source + "' (after .dockerignore)");
    } else {
      if (selector.Ignored(rel))
        return NotFound("'" + source + "' is excluded by .dockerignore");
      matches.push_back(rel);
    }
    for (const auto& m : matches) {
      // As BuildKit: the source's links, the last one too, are followed inside the root; what
      // is inside a copied folder is copied as it is (links as links).
      auto real = ResolveInRoot(root, m, /*follow_last=*/true);
      auto st = real ? LstatInRoot(root, *real) : Result<std::optional<struct stat>>(real.error());
      if (st && !*st) st = NotFound("nothing there");
      if (!st) {
        if (st.error().kind() != ErrorKind::kNotFound) return st.error();
        return NotFound("'" + source + "' does not exist (looked for " + selector.Abs(m) + ")");
      }
      if (*real != m && selector.Ignored(*real))
        return NotFound("'" + source + "' leads to '" + *real + "', which .dockerignore excludes");
      if (S_ISDIR((*st)->st_mode)) {
        // Docker copies a directory's contents (not the directory) into DEST, for wildcard
        // matches too.
        selection.dest_is_directory = true;
        selector.Add(*real, "", **st);
      } else {
        selector.Add(*real, BaseName(m), **st);
      }
    }
  }
  selection.paths = selector.Take();
  return selection;
}

}  // namespace plinth::builder
