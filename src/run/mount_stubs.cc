#include "run/mount_stubs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>

#include "run/lower_lookup.h"

namespace plinth::run {
namespace {

std::vector<std::string> Components(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  return parts;
}

// `host` (a path FindInLowers gave) relative to the lower it is in.
std::string RelativeToLower(const std::vector<std::string>& lowers, const std::string& host) {
  for (const std::string& lower : lowers) {
    if (host == lower) return "";
    if (host.size() > lower.size() && host.compare(0, lower.size(), lower) == 0 &&
        host[lower.size()] == '/') {
      return host.substr(lower.size() + 1);
    }
  }
  return host;  // not reached: FindInLowers names a path in one of the lowers
}

std::string Join(const std::string& rel, const std::string& name) {
  return rel.empty() ? name : rel + "/" + name;
}

// Removes `rel` under the folder `upper_fd` when it is an empty file or folder, never following
// a symlink on the way.
Status RemoveIfEmpty(int upper_fd, const std::string& upper, const std::string& rel) {
  std::vector<std::string> parts = Components(rel);
  if (parts.empty()) return Ok{};
  int dir = dup(upper_fd);
  if (dir < 0) return ErrnoError("opening " + upper, errno);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    int next = openat(dir, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(dir);
    if (next < 0) {
      if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) return Ok{};  // not a stub now
      return ErrnoError("opening " + upper + "/" + rel, errno);
    }
    dir = next;
  }
  const std::string& name = parts.back();
  struct stat st;
  Status status = Ok{};
  if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
      if (unlinkat(dir, name.c_str(), 0) != 0 && errno != ENOENT) {
        status = ErrnoError("removing the mount stub " + upper + "/" + rel, errno);
      }
    } else if (S_ISDIR(st.st_mode)) {
      if (unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOTEMPTY && errno != EEXIST &&
          errno != ENOENT) {
        status = ErrnoError("removing the mount stub " + upper + "/" + rel, errno);
      }
    }
  } else if (errno != ENOENT) {
    status = ErrnoError("looking at " + upper + "/" + rel, errno);
  }
  close(dir);
  return status;
}

}  // namespace

Result<std::vector<std::string>> FindMountStubs(const std::vector<std::string>& lowers,
                                                const std::vector<std::string>& targets) {
  std::vector<std::string> stubs;
  std::set<std::string> seen;
  for (const std::string& target : targets) {
    std::vector<std::string> parts = Components(target);
    std::string resolved;  // the existing parent, resolved in the merged view
    std::string prefix;
    for (size_t i = 0; i < parts.size(); ++i) {
      prefix = Join(prefix, parts[i]);
      PLINTH_TRY(auto found, FindInLowers(lowers, prefix, /*follow_last=*/true));
      if (found) {
        resolved = RelativeToLower(lowers, *found);
        continue;
      }
      // Missing: the runtime creates it and everything beneath it on the way to the target.
      for (size_t j = i; j < parts.size(); ++j) {
        resolved = Join(resolved, parts[j]);
        if (seen.insert(resolved).second) stubs.push_back(resolved);
      }
      break;
    }
  }
  return stubs;
}

Status RemoveMountStubs(const std::string& upper, const std::vector<std::string>& stubs) {
  if (stubs.empty()) return Ok{};
  std::vector<std::string> order = stubs;
  // Deeper paths first: a folder is empty only once the stubs in it are gone.
  std::stable_sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) {
    return std::count(a.begin(), a.end(), '/') > std::count(b.begin(), b.end(), '/');
  });
  int upper_fd = open(upper.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (upper_fd < 0) return ErrnoError("opening the upper folder " + upper, errno);
  Status status = Ok{};
  for (const std::string& stub : order) {
    status = RemoveIfEmpty(upper_fd, upper, stub);
    if (!status) break;
  }
  close(upper_fd);
  return status;
}

}  // namespace plinth::run
