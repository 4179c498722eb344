#include "plan/context_sources.h"

#include <fnmatch.h>

#include <algorithm>
#include <cstdio>
#include <deque>

#include "util/safe_path.h"

namespace plinth::plan {
namespace {

constexpr int kMaxLinks = 40;  // as Linux's path walk

std::string Mode(uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

std::string Join(const std::string& dir, const std::string& name) {
  return dir == "." ? name : dir + "/" + name;
}

size_t Depth(const std::string& path) { return std::count(path.begin(), path.end(), '/'); }

bool HasWildcard(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

class Reader {
 public:
  Reader(ContextFiles& files, const std::string& context, const dockerfile::DockerIgnore* ignore,
         std::map<std::string, std::string>* inputs)
      : files_(files), context_(context), ignore_(ignore), inputs_(*inputs) {}

  Status Read(const std::string& source) {
    auto cleaned = RelativeInsideRoot(source);
    if (!cleaned) return InvalidInput("source '" + source + "' is outside the build context");
    std::vector<std::string> matches;
    if (HasWildcard(*cleaned)) {
      PLINTH_CHECK(Glob(*cleaned, ".", &matches));
      if (matches.empty()) return NotFound("no files match '" + source + "' (after .dockerignore)");
    } else {
      if (Ignored(*cleaned)) return NotFound("'" + source + "' is excluded by .dockerignore");
      matches.push_back(*cleaned);
    }
    for (const auto& m : matches) PLINTH_CHECK(ReadMatch(source, m));
    return Ok{};
  }

 private:
  bool Ignored(const std::string& rel) const {
    return ignore_ && rel != "." && ignore_->Excludes(rel);
  }

  Result<std::optional<PathInfo>> Lstat(const std::string& rel) {
    return files_.Lstat(context_, rel);
  }

  // Every path below `dir` (not ignored, folders entered only when they are folders, not links)
  // that matches `pattern`, in listing order.
  Status Glob(const std::string& pattern, const std::string& dir, std::vector<std::string>* out) {
    PLINTH_TRY(std::vector<std::string> names, files_.List(context_, dir));
    for (const auto& name : names) {
      std::string child = Join(dir, name);
      if (Ignored(child)) continue;
      if (fnmatch(pattern.c_str(), child.c_str(), FNM_PATHNAME) == 0) out->push_back(child);
      if (Depth(child) >= Depth(pattern)) continue;
      PLINTH_TRY(auto info, Lstat(child));
      if (info && info->type == PathInfo::Type::kDirectory) PLINTH_CHECK(Glob(pattern, child, out));
    }
    return Ok{};
  }

  void Record(const std::string& rel, const PathInfo& info, const std::string& digest = "") {
    if (rel == ".") return;  // the context itself is always a folder; its mode reaches nothing
    switch (info.type) {
      case PathInfo::Type::kFile:
        inputs_["context:" + rel] = "file " + Mode(info.mode) + " " + digest;
        break;
      case PathInfo::Type::kDirectory:
        inputs_["context:" + rel] = "dir " + Mode(info.mode);
        break;
      case PathInfo::Type::kSymlink:
        inputs_["context:" + rel] = "symlink -> " + info.link_target;
        break;
      case PathInfo::Type::kOther:
        inputs_["context:" + rel] = "other " + Mode(info.mode);
        break;
    }
  }

  Status RecordEntry(const std::string& rel, const PathInfo& info) {
    std::string digest;
    if (info.type == PathInfo::Type::kFile) {
      PLINTH_TRY(digest, files_.Digest(context_, rel));
    }
    Record(rel, info, digest);
    return Ok{};
  }

  // A source path, its links followed inside the context; then, for a folder, what is in it.
  Status ReadMatch(const std::string& source, const std::string& match) {
    std::deque<std::string> todo = Split(match);
    std::vector<std::string> done;  // the real path so far, no link in it
    int links = 0;
    std::optional<PathInfo> info = PathInfo{PathInfo::Type::kDirectory, 0, ""};
    while (!todo.empty()) {
      std::string c = std::move(todo.front());
      todo.pop_front();
      if (c.empty() || c == ".") continue;
      if (c == "..") {
        if (!done.empty()) done.pop_back();  // the context's root is its own parent
        continue;
      }
      std::string path = Join(JoinAll(done), c);
      PLINTH_TRY(info, Lstat(path));
      if (!info || (!todo.empty() && info->type != PathInfo::Type::kSymlink &&
                    info->type != PathInfo::Type::kDirectory)) {
        if (links == 0)
          return NotFound("'" + source + "' does not exist (looked for " + Join(context_, match) +
                          ")");
        inputs_["context:" + path] = "missing";
        return Ok{};
      }
      if (info->type == PathInfo::Type::kSymlink) {
        Record(path, *info);
        if (++links > kMaxLinks)
          return InvalidInput("'" + source + "': more than " + std::to_string(kMaxLinks) +
                              " symbolic links in a row");
        if (!info->link_target.empty() && info->link_target[0] == '/') done.clear();
        auto target = Split(info->link_target);
        todo.insert(todo.begin(), target.begin(), target.end());
        continue;
      }
      done.push_back(std::move(c));
    }
    std::string real = JoinAll(done);
    PLINTH_CHECK(RecordEntry(real, *info));
    if (info->type != PathInfo::Type::kDirectory) return Ok{};
    return Walk(real, match == real ? "" : match);
  }

  // The contents of folder `real` (a path with no link in it), reached as `via` when a link led
  // there (checked against .dockerignore under both names, as either could be the one read).
  Status Walk(const std::string& real, const std::string& via) {
    PLINTH_TRY(std::vector<std::string> names, files_.List(context_, real));
    for (const auto& name : names) {
      std::string child = Join(real, name);
      std::string child_via = via.empty() ? "" : Join(via, name);
      if (Ignored(child) && (child_via.empty() || Ignored(child_via))) continue;
      PLINTH_TRY(auto info, Lstat(child));
      if (!info) continue;  // gone while we listed
      PLINTH_CHECK(RecordEntry(child, *info));
      if (info->type == PathInfo::Type::kDirectory) PLINTH_CHECK(Walk(child, child_via));
    }
    return Ok{};
  }

  static std::deque<std::string> Split(const std::string& path) {
    std::deque<std::string> parts;
    size_t i = 0;
    while (i <= path.size()) {
      size_t j = path.find('/', i);
      if (j == std::string::npos) j = path.size();
      if (j > i) parts.push_back(path.substr(i, j - i));
      i = j + 1;
    }
    return parts;
  }

  static std::string JoinAll(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out.empty() ? "." : out;
  }

  ContextFiles& files_;
  const std::string& context_;
  const dockerfile::DockerIgnore* ignore_;
  std::map<std::string, std::string>& inputs_;
};

}  // namespace

Status AddContextSources(ContextFiles& files, const std::string& context,
                         const dockerfile::DockerIgnore* ignore,
                         const std::vector<std::string>& sources,
                         std::map<std::string, std::string>* inputs) {
  Reader reader(files, context, ignore, inputs);
  for (const auto& s : sources) PLINTH_CHECK(reader.Read(s));
  return Ok{};
}

}  // namespace plinth::plan
